import { registerDecorator } from 'class-validator';

const WORD_KEYS = new Set(['word', 'start', 'end', 'confidence']);

/**
 * What is wrong with a `word_timestamps` value, or undefined when it is fine: an array of
 * `{word, start, end, confidence?}` (seconds), or any JSON object.
 */
export function wordTimestampsProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object')
    return 'word_timestamps must be an array of {word, start, end, confidence?} or an object';
  if (!Array.isArray(value)) return undefined;
  for (const [index, entry] of value.entries()) {
    const at = `word_timestamps[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return `${at} must be an object {word, start, end, confidence?}`;
    const unknown = Object.keys(entry).find((key) => !WORD_KEYS.has(key));
    if (unknown) return `${at}.${unknown} is not allowed (word, start, end, confidence)`;
    const { word, start, end, confidence } = entry as Record<string, unknown>;
    if (typeof word !== 'string') return `${at}.word must be a string`;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0)
      return `${at}.start must be a number of seconds >= 0`;
    if (typeof end !== 'number' || !Number.isFinite(end) || end < start)
      return `${at}.end must be a number of seconds >= start`;
    if (confidence !== undefined && (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1))) {
      return `${at}.confidence must be a number between 0 and 1`;
    }
  }
  return undefined;
}

export function IsWordTimestamps(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWordTimestamps',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args) => wordTimestampsProblem(args.value) ?? 'word_timestamps is invalid' },
      validator: { validate: (value: unknown) => wordTimestampsProblem(value) === undefined },
    });
}
