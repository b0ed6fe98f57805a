import fc from 'fast-check';
import isURL from 'validator/lib/isURL';
import { isMediaUrl, MEDIA_URL_OPTIONS } from './media-url';

const reference = (value: string) => isURL(value, MEDIA_URL_OPTIONS);

/** URL-like strings built from the pieces isURL looks at, tricky ones included. */
const piece = (values: string[]) => fc.constantFrom(...values);
const label = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9-]{1,8}$/),
  piece(['', '-a', 'a-', 'a_b', 'x'.repeat(63), 'x'.repeat(64), '123', 'xn--bcher-kva', 'ünï', 'ａ', '*']),
);
const host = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
  piece(['1.2.3.4', '256.1.1.1', '[::1]', '[2001:db8::1]', 'localhost', 'a.b.', '.a', 'user:pw@h.com', '@h.com']),
);
const scheme = piece([
  'http://',
  'https://',
  's3://',
  'HTTPS://',
  'ftp://',
  'http:/',
  'http:',
  '//',
  '',
  'mailto:',
  's3:',
]);
const port = piece(['', ':80', ':0', ':65535', ':65536', ':x', ':']);
const path = fc.oneof(
  piece(['', '/', '/a/b.mp4', '//x', '/a b', '/<x>', '/a?b=1', '/a#f', '/a@b', '/%20', '/é', '/\u2028', '/a\\b']),
  fc.string({ maxLength: 12 }).map((s) => `/${s}`),
);
const urlLike = fc.tuple(scheme, host, port, path).map((parts) => parts.join(''));

describe('isMediaUrl', () => {
  it('answers exactly as validator isURL with the media URL options', () => {
    fc.assert(
      fc.property(fc.oneof(urlLike, fc.string({ maxLength: 40 })), (value) => isMediaUrl(value) === reference(value)),
      { numRuns: 20_000 },
    );
  });

  it('accepts the everyday URLs and refuses the rest, as isURL does', () => {
    for (const ok of [
      'https://cdn.example.com/videos/intro.mp4',
      's3://bucket/key',
      'http://localhost:3000/a',
      'HTTP://X.Y/z',
    ]) {
      expect(isMediaUrl(ok)).toBe(true);
    }
    for (const bad of [
      'ftp://x/a',
      'cdn.example.com/a.mp4',
      'https://',
      'https://a..b/',
      'https://123/x',
      'https://a b/',
    ]) {
      expect(isMediaUrl(bad)).toBe(false);
    }
    expect(isMediaUrl(42)).toBe(false);
  });
});
