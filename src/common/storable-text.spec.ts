import { BadRequestException } from '@nestjs/common';
import { findJsonProblem, findNulCharacter, MAX_JSON_DEPTH, rejectUnstorableText } from './storable-text';

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

describe('findJsonProblem', () => {
  it('stops at the depth bound on a 200,000-level body and names the top-level field', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findJsonProblem({ media_url: 'x', parameters: deep })).toEqual({
      kind: 'depth',
      path: 'parameters',
      message: `parameters must not nest deeper than ${MAX_JSON_DEPTH} levels`,
    });
    expect(findJsonProblem(deep)?.path).toBe('body');
  });

  it('accepts exactly MAX_JSON_DEPTH levels, counting the body as the first', () => {
    let value: unknown = {};
    for (let i = 1; i < MAX_JSON_DEPTH; i++) value = { a: value };
    expect(findJsonProblem(value)).toBeUndefined();
    expect(findJsonProblem({ a: value })).toBeDefined();
  });

  it('rejects numbers that are not finite, naming their path', () => {
    expect(findJsonProblem({ parameters: { x: [1, Infinity] } })).toEqual({
      kind: 'number',
      path: 'parameters.x.1',
      message: 'parameters.x.1 must be a finite number',
    });
    expect(findJsonProblem({ priority: -Infinity })?.path).toBe('priority');
    expect(findJsonProblem({ priority: NaN })?.path).toBe('priority');
    expect(findJsonProblem({ priority: 1e308, x: [-1e308, 0.1] })).toBeUndefined();
  });

  it('reports the first problem in document order', () => {
    expect(findJsonProblem({ a: 'ok', b: { c: Infinity }, d: 'x\u0000' })?.path).toBe('b.c');
    expect(findJsonProblem({ a: ['x\u0000'], b: Infinity })?.path).toBe('a.0');
  });

  it('textOnly: only unstorable text counts', () => {
    expect(findJsonProblem({ a: Infinity }, { textOnly: true })).toBeUndefined();
    expect(findJsonProblem({ a: Infinity, b: '\u0000' }, { textOnly: true })?.path).toBe('b');
  });

  it('refuses prototype-poisoning keys at any depth, naming them', () => {
    const poisoned = (json: string) => findJsonProblem(JSON.parse(json));
    expect(poisoned('{"__proto__": {"x": 1}}')).toMatchObject({ kind: 'prototype', path: '__proto__' });
    expect(poisoned('{"a": [{"constructor": {"prototype": {}}}]}')).toMatchObject({
      kind: 'prototype',
      path: 'a.0.constructor',
      message: 'a.0.constructor is a forbidden prototype property in JSON',
    });
    // A constructor key without a prototype below it is ordinary data.
    expect(poisoned('{"constructor": "ok", "b": {"constructor": {"name": "x"}}}')).toBeUndefined();
  });
});
