import { Type } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** At most `max` characters counted as code points, as PostgreSQL's varchar(n) counts them. */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxCodePoints',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options: { message: `$property must be at most ${max} characters`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return true;
          if (value.length <= max) return true;
          let count = 0;
          for (const _ of value) if (++count > max) return false;
          return true;
        },
      },
    });
}

/** Where NumberFromQuery records its fields (on the DTO's prototype). */
const NUMBER_FIELDS = Symbol('numberFromQueryFields');

/**
 * A query-string field that holds a number: the one conversion a DTO may declare. It is
 * applied as class-transformer's @Type(() => Number) applies it (which it also declares, for
 * anything that runs class-transformer), and recorded where CompiledValidationPipe reads it.
 * DTOs use no other class-transformer decorator (ESLint refuses the import elsewhere).
 */
export function NumberFromQuery(): PropertyDecorator {
  return (target, propertyName) => {
    Type(() => Number)(target, propertyName);
    const own = (Reflect.getOwnMetadata(NUMBER_FIELDS, target) ?? []) as string[];
    Reflect.defineMetadata(NUMBER_FIELDS, [...own, propertyName as string], target);
  };
}

/** The fields of a DTO (and of the classes it extends) declared with NumberFromQuery. */
export function numberFromQueryFields(dto: abstract new () => unknown): string[] {
  const fields: string[] = [];
  for (let prototype = dto.prototype as object | null; prototype; prototype = Object.getPrototypeOf(prototype)) {
    fields.push(...((Reflect.getOwnMetadata(NUMBER_FIELDS, prototype) ?? []) as string[]));
  }
  return fields;
}
