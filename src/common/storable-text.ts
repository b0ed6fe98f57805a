import { BadRequestException } from '@nestjs/common';

/**
 * How deep a request's JSON may nest (the body itself is level 1). Far more than any field of
 * the contract needs; a bound keeps every later walk (validation, serialization, jsonb) shallow.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Text PostgreSQL can store: no U+0000, and no unpaired UTF-16 surrogate (JSON allows "\ud800";
 * text would silently store U+FFFD instead, and jsonb refuses it with an error naming no field).
 */
function storable(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed() && !text.includes('\u0000');
}

/** What is wrong with one value of a request, if anything, as a message naming `path`. */
export interface JsonProblem {
  path: string;
  message: string;
  /** `prototype`: a `__proto__` key, or a `constructor` holding a `prototype` (prototype poisoning). */
  kind: 'text' | 'number' | 'depth' | 'prototype';
}

/** A problem found below: its kind, and the keys from it up to the root (appended on the way back). */
interface Found {
  kind: JsonProblem['kind'];
  keys: string[];
}

/** A key secure-json-parse refuses: `__proto__`, or `constructor` holding a `prototype`. */
function poisons(key: string, child: unknown): boolean {
  return (
    key === '__proto__' ||
    (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))
  );
}

function walk(value: unknown, depth: number, textOnly: boolean): Found | undefined {
  if (typeof value === 'string') return storable(value) ? undefined : { kind: 'text', keys: [] };
  if (typeof value === 'number') return textOnly || Number.isFinite(value) ? undefined : { kind: 'number', keys: [] };
  if (typeof value !== 'object' || value === null) return undefined;
  // Checked before going down, so the recursion itself never goes deeper than the bound.
  if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', keys: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1, textOnly);
      if (found) {
        found.keys.push(String(i));
        return found;
      }
    }
    return undefined;
  }
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (!storable(key)) return { kind: 'text', keys: [key] };
    if (!textOnly && poisons(key, child)) return { kind: 'prototype', keys: [key] };
    const found = walk(child, depth + 1, textOnly);
    if (found) {
      found.keys.push(key);
      return found;
    }
  }
  return undefined;
}

/**
 * The first value of a parsed request that PostgreSQL or the contract cannot take, in document
 * order: text with U+0000 or an unpaired surrogate (keys too), a number that is not finite
 * (JSON.parse turns 1e400 into Infinity, which jsonb would store as null), nesting deeper than
 * MAX_JSON_DEPTH, or a prototype-poisoning key. One pass that allocates nothing unless it finds
 * something: every JSON body goes through it. `textOnly` (queries, parameters) leaves numbers
 * and prototype keys alone.
 */
export function findJsonProblem(root: unknown, { textOnly = false } = {}): JsonProblem | undefined {
  const found = walk(root, 0, textOnly);
  if (!found) return undefined;
  const path = found.keys.reverse().join('.');
  switch (found.kind) {
    case 'depth': {
      // The field at the top names the culprit; its full path would be dozens of segments.
      const field = (!Array.isArray(root) && found.keys[0]) || 'body';
      return { kind: 'depth', path: field, message: `${field} must not nest deeper than ${MAX_JSON_DEPTH} levels` };
    }
    case 'number':
      return { kind: 'number', path, message: `${path || 'value'} must be a finite number` };
    case 'prototype':
      return { kind: 'prototype', path, message: `${path} is a forbidden prototype property in JSON` };
    default: {
      const name = path || 'value';
      return {
        kind: 'text',
        path: name,
        message: `${name} must not contain NUL (\\u0000) characters or unpaired surrogates`,
      };
    }
  }
}

/** Path of the first string (key or value) holding U+0000 or an unpaired surrogate. */
export function findNulCharacter(value: unknown): string | undefined {
  return findJsonProblem(value, { textOnly: true })?.path;
}

/**
 * Rejects text PostgreSQL cannot store in a query or path parameter with a 400 naming the field.
 * (JSON bodies get the whole findJsonProblem in their parser, json-body.ts.)
 */
export function rejectUnstorableText(value: unknown): void {
  const problem = findJsonProblem(value, { textOnly: true });
  if (problem) throw new BadRequestException([problem.message]);
}
