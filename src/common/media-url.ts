import { registerDecorator, type ValidationOptions } from 'class-validator';
import isURL from 'validator/lib/isURL';

/** validator's isURL options for a media URL: absolute http, https or s3, any host name or IP. */
export const MEDIA_URL_OPTIONS = {
  protocols: ['http', 'https', 's3'],
  require_protocol: true,
  require_tld: false,
  require_host: true,
  // MaxCodePoints owns the length limit (isURL would count UTF-16 units up to 2084).
  validate_length: false,
};

// The everyday shape: a scheme, a host of DNS labels, a path without query or fragment.
// Tracing isURL with MEDIA_URL_OPTIONS, every such URL is valid: the path is discarded once the
// host is split off, and the host passes isFQDN when each label is 1 to 63 letters, digits or
// inner hyphens and the last label is not all digits (an IP-like host).
const EVERYDAY_URL = /^(?:https?|s3):\/\/([a-z0-9.-]+)(?:\/[^\s<>?#]*)?$/i;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const ALL_DIGITS = /^\d+$/;

function isEverydayUrl(value: string): boolean {
  const match = EVERYDAY_URL.exec(value);
  if (!match) return false;
  const labels = match[1].split('.');
  return labels.every((label) => DNS_LABEL.test(label)) && !ALL_DIGITS.test(labels[labels.length - 1]);
}

/**
 * Exactly validator's isURL(value, MEDIA_URL_OPTIONS), the rule of class-validator's
 * `@IsUrl(MEDIA_URL_OPTIONS)`. isURL merges its options and splits the URL several times on
 * every call; the everyday shape is answered by two regular expressions first, and anything
 * else (ports, query strings, fragments, user info, IP addresses) by isURL itself.
 */
export function isMediaUrl(value: unknown): boolean {
  return typeof value === 'string' && (isEverydayUrl(value) || isURL(value, MEDIA_URL_OPTIONS));
}

/** `@IsUrl(MEDIA_URL_OPTIONS)`, faster: see isMediaUrl. */
export function IsMediaUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an absolute http, https or s3 URL', ...options },
      validator: { validate: isMediaUrl },
    });
}
