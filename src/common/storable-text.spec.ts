import { BadRequestException } from '@nestjs/common';
import { findNulCharacter, rejectUnstorableText } from './storable-text';

describe('findNulCharacter', () => {
  it('finds NUL in nested values and keys, naming the path', () => {
    expect(findNulCharacter({ prompt: 'a\u0000b' })).toBe('prompt');
    expect(findNulCharacter({ parameters: { deep: ['ok', 'x\u0000'] } })).toBe('parameters.deep.1');
    expect(findNulCharacter({ parameters: { ['k\u0000']: 1 } })).toBe('parameters.k\u0000');
  });

  it('finds unpaired surrogates, which UTF-8 cannot encode', () => {
    expect(findNulCharacter({ prompt: 'a\ud800b' })).toBe('prompt');
    expect(findNulCharacter({ prompt: '\udc00' })).toBe('prompt');
    expect(findNulCharacter({ parameters: { k: ['\ud83c'] } })).toBe('parameters.k.0');
    expect(findNulCharacter({ prompt: '\ud83c\udfac' })).toBeUndefined();
  });

  it('accepts text PostgreSQL can store', () => {
    expect(findNulCharacter({ prompt: '\'; DROP TABLE jobs; -- 🎬 "quoted"' })).toBeUndefined();
    expect(findNulCharacter(undefined)).toBeUndefined();
  });
});

describe('rejectUnstorableText', () => {
  it('throws a 400 naming the field', () => {
    expect(() => rejectUnstorableText({ media_url: 'https://x/\u0000' })).toThrow(BadRequestException);
    try {
      rejectUnstorableText({ parameters: { note: 'x\u0000' } });
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({
        message: ['parameters.note must not contain NUL (\\u0000) characters or unpaired surrogates'],
      });
    }
    expect.assertions(3);
    expect(() => rejectUnstorableText({ media_url: 'https://x/a' })).not.toThrow();
  });
});
