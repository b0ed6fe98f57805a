import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Path of the first string (key or value) holding U+0000, which PostgreSQL text and jsonb cannot store. */
export function findNulCharacter(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = findNulCharacter(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/** Rejects NUL characters anywhere in a body, query or path parameter with a 400 naming the field. */
@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const path = findNulCharacter(value);
    if (path) throw new BadRequestException([`${path} must not contain NUL (\\u0000) characters`]);
    return value;
  }
}
