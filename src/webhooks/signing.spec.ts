import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { generateSecret, isSigningSecret, signatureHeaders } from './signing';

describe('Standard Webhooks signing', () => {
  it('makes secrets of whsec_ + base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    expect(isSigningSecret(secret)).toBe(true);
    expect(isSigningSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(isSigningSecret(secret.slice(6))).toBe(false);
  });

  it('is verified by the reference implementation for any id and body', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_]{1,40}$/), fc.json(), (id, body) => {
        const secret = generateSecret();
        const now = new Date();
        const headers = signatureHeaders(id, now, body, [secret]);
        expect(new Webhook(secret).verify(body, { ...headers } as Record<string, string>)).toEqual(JSON.parse(body));
        // The reference signer writes the same signature.
        expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(id, now, body));
      }),
      { numRuns: 50 },
    );
  });

  it('signs with every secret during a rotation: either one verifies, a third does not', () => {
    const [previous, current, stranger] = [generateSecret(), generateSecret(), generateSecret()];
    const body = JSON.stringify({ id: 7, type: 'job.created' });
    const headers = { ...signatureHeaders('7', new Date(), body, [current, previous]) } as Record<string, string>;
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual({ id: 7, type: 'job.created' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ id: 7, type: 'job.created' });
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(current).verify(body.replace('7', '8'), headers)).toThrow();
  });

  it('sends id and timestamp without a signature when there is no secret', () => {
    const headers = signatureHeaders('9', new Date(1_700_000_000_123), '{}', []);
    expect(headers).toEqual({ 'webhook-id': '9', 'webhook-timestamp': '1700000000' });
  });
});
