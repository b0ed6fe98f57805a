import { BadRequestException } from '@nestjs/common';

// An unpaired UTF-16 surrogate (JSON allows "\ud800") is not Unicode: text would silently
// store U+FFFD instead, and jsonb refuses it with an error naming no field.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/**
 * Path of the first string (key or value) holding U+0000 or an unpaired surrogate, which
 * PostgreSQL text and jsonb cannot store verbatim.
 */
export function findNulCharacter(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path || 'value' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (unstorable(key)) return childPath;
    const found = findNulCharacter(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/** Rejects NUL characters anywhere in a body, query or path parameter with a 400 naming the field. */
export function rejectUnstorableText(value: unknown): void {
  const path = findNulCharacter(value);
  if (path) {
    throw new BadRequestException([`${path} must not contain NUL (\\u0000) characters or unpaired surrogates`]);
  }
}
