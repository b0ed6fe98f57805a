import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { generateSecret } from './signing';

describe('SecretBox', () => {
  const key = randomBytes(32).toString('base64');

  it('seals a secret so the stored text does not contain it, and opens it again', () => {
    const box = new SecretBox(key);
    const secret = generateSecret();
    const stored = box.seal(secret);
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(box.seal(secret)).not.toBe(stored); // a fresh IV every time
    expect(box.open(stored)).toBe(secret);
  });

  it('refuses a tampered value and a wrong key', () => {
    const stored = new SecretBox(key).seal(generateSecret());
    const tampered = stored.slice(0, -4) + (stored.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => new SecretBox(key).open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(stored)).toThrow();
    expect(() => new SecretBox().open(stored)).toThrow('WEBHOOK_SECRETS_KEY');
  });

  it('without a key stores secrets as they are, and reads clear rows with a key too', () => {
    const secret = generateSecret();
    expect(new SecretBox().seal(secret)).toBe(secret);
    expect(new SecretBox(key).open(secret)).toBe(secret);
    expect(() => new SecretBox('c2hvcnQ=')).toThrow('32 bytes');
  });
});
