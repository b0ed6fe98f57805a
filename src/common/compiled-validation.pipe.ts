import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { getMetadataStorage, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ValidationTypes } from 'class-validator';
// Not re-exported by class-validator's index: the same token replacement ($property, $constraint1…) its executor uses.
import { ValidationUtils } from 'class-validator/cjs/validation/ValidationUtils';
import { rejectUnstorableText } from './storable-text';
import { createValidationPipe } from './validation';

interface Check {
  metadata: ValidationMetadata;
  constraint: ValidatorConstraintInterface;
  /** The key class-validator files the message under (a later check of the same name replaces it). */
  name: string;
}

interface PropertyPlan {
  name: string;
  /** IsOptional and other ValidateIf conditions. */
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[];
}

interface ClassPlan {
  properties: PropertyPlan[];
  known: Set<string>;
}

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/**
 * The one global pipe. First it rejects text PostgreSQL cannot store (NUL, lone surrogates)
 * anywhere in a body, query or parameter. Then it applies the ValidationPipe's rules and
 * messages, executed faster for JSON bodies: each DTO's class-validator metadata is read once
 * into a plan, and each request runs the same constraint validators directly (class-transformer
 * is not needed: body DTOs declare no conversions). Query strings, which need conversions
 * (@Type), and anything unusual go to the standard ValidationPipe, so behaviour is the same
 * either way. One pipe rather than two: Nest awaits every pipe of every parameter.
 */
@Injectable()
export class CompiledValidationPipe implements PipeTransform {
  private readonly standard = createValidationPipe();
  private readonly plans = new Map<Type<unknown>, ClassPlan | null>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    rejectUnstorableText(value);
    const { metatype, type } = metadata;
    // What the ValidationPipe answers for these too, without its async round: custom decorators
    // are not validated, and a string parameter declared as a string stays as it is.
    if (type === 'custom' || (metatype === String && typeof value === 'string')) return value;
    if (type !== 'body' || !metatype || PRIMITIVES.has(metatype)) return this.standard.transform(value, metadata);
    const plan = this.planFor(metatype);
    const body = value ?? {};
    if (!plan || typeof body !== 'object' || Array.isArray(body) || Object.getPrototypeOf(body) !== Object.prototype) {
      return this.standard.transform(value, metadata);
    }
    const instance = Object.assign(Object.create(metatype.prototype as object) as object, body);
    const messages = this.validate(plan, instance, metatype.name);
    if (messages.length > 0) throw new BadRequestException(messages);
    return instance;
  }

  private validate(plan: ClassPlan, object: object, targetName: string): string[] {
    const messages: string[] = [];
    for (const key of Object.keys(object)) if (!plan.known.has(key)) messages.push(`property ${key} should not exist`);
    for (const property of plan.properties) {
      const value = (object as Record<string, unknown>)[property.name];
      if (!property.conditions.every((condition) => condition(object, value))) continue;
      const failed = new Map<string, string>();
      for (const { metadata, constraint, name } of property.checks) {
        const args: ValidationArguments = {
          targetName,
          property: property.name,
          object,
          value,
          constraints: metadata.constraints,
        };
        const valid =
          metadata.each && Array.isArray(value)
            ? value.every((item) => constraint.validate(item, args) === true)
            : constraint.validate(value, args) === true;
        if (valid) continue;
        const message =
          typeof metadata.message === 'function'
            ? metadata.message(args)
            : (metadata.message ?? constraint.defaultMessage?.(args) ?? '');
        failed.set(name, ValidationUtils.replaceMessageSpecialTokens(message, args));
      }
      messages.push(...failed.values());
    }
    return messages;
  }

  /** The plan of a DTO, or null when it uses anything the fast path does not execute. */
  private planFor(metatype: Type<unknown>): ClassPlan | null {
    if (this.plans.has(metatype)) return this.plans.get(metatype)!;
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false);
    const supported =
      metadatas.length > 0 &&
      metadatas.every(
        (m) => m.type === ValidationTypes.CUSTOM_VALIDATION || m.type === ValidationTypes.CONDITIONAL_VALIDATION,
      );
    let plan: ClassPlan | null = null;
    if (supported) {
      const grouped = storage.groupByPropertyName(metadatas);
      const properties = Object.entries(grouped).map(([name, list]) => ({
        name,
        conditions: list
          .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
          .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
        checks: list
          .filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)
          .flatMap((m) =>
            storage
              .getTargetValidatorConstraints(m.constraintCls)
              .map((c) => ({ metadata: m, constraint: c.instance, name: c.name || m.type, async: c.async })),
          ),
      }));
      const unsupported = properties.some((p) => p.checks.some((c) => c.metadata.validateIf || c.async));
      plan = unsupported ? null : { properties, known: new Set(properties.map((p) => p.name)) };
    }
    this.plans.set(metatype, plan);
    return plan;
  }
}
