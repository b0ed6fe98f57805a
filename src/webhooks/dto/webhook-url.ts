import { registerDecorator, type ValidationOptions } from 'class-validator';
import isURL from 'validator/lib/isURL';

const TARGET_URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  require_host: true,
  validate_length: false,
};

/**
 * An absolute http or https URL: the shape of a webhook or callback target. Where it may point
 * (public addresses only) is the target policy's rule, checked by the service.
 */
export function IsTargetUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTargetUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an absolute http or https URL', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isURL(value, TARGET_URL_OPTIONS) },
    });
}
