import { BadRequestException } from '@nestjs/common';

// An unpaired UTF-16 surrogate (JSON allows "\ud800") is not Unicode: text would silently
// store U+FFFD instead, and jsonb refuses it with an error naming no field.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * How deep a request's JSON may nest (the body itself is level 1). Far more than any field of
 * the contract needs; a bound keeps every later walk (validation, serialization, jsonb) shallow.
 */
export const MAX_JSON_DEPTH = 64;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** What is wrong with one value of a request, if anything, as a message naming `path`. */
export interface JsonProblem {
  path: string;
  message: string;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * The first value of a parsed request that PostgreSQL or the contract cannot take, walked
 * without recursion (a 100,000-deep body must not overflow the stack): text with U+0000 or an
 * unpaired surrogate (keys too), a number that is not finite (JSON.parse turns 1e400 into
 * Infinity, which jsonb would store as null), or nesting deeper than MAX_JSON_DEPTH.
 */
export function findJsonProblem(root: unknown, { textOnly = false } = {}): JsonProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) {
        const name = path || 'value';
        return { path: name, message: `${name} must not contain NUL (\\u0000) characters or unpaired surrogates` };
      }
    } else if (typeof value === 'number') {
      if (!textOnly && !Number.isFinite(value)) return { path, message: `${path || 'value'} must be a finite number` };
    } else if (typeof value === 'object' && value !== null) {
      if (!textOnly && depth + 1 > MAX_JSON_DEPTH) {
        // The field at the top names the culprit; its full path would be thousands of segments.
        const field = (!Array.isArray(root) && path.split('.')[0]) || 'body';
        return { path: field, message: `${field} must not nest deeper than ${MAX_JSON_DEPTH} levels` };
      }
      const entries = Object.entries(value);
      for (const [key] of entries) {
        if (unstorable(key)) {
          const childPath = join(path, key);
          return {
            path: childPath,
            message: `${childPath} must not contain NUL (\\u0000) characters or unpaired surrogates`,
          };
        }
      }
      // Pushed in reverse so that problems are found in document order.
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1], path: join(path, entries[i][0]), depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Path of the first string (key or value) holding U+0000 or an unpaired surrogate. */
export function findNulCharacter(value: unknown): string | undefined {
  return findJsonProblem(value, { textOnly: true })?.path;
}

/**
 * Rejects text PostgreSQL cannot store in a body, query or path parameter with a 400 naming the
 * field. (Depth and non-finite numbers are the JSON body parser's check: a query string has neither.)
 */
export function rejectUnstorableText(value: unknown): void {
  const problem = findJsonProblem(value, { textOnly: true });
  if (problem) throw new BadRequestException([problem.message]);
}
