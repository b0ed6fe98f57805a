import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { getMetadataStorage, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ValidationTypes } from 'class-validator';
// Not re-exported by class-validator's index: the same token replacement ($property, $constraint1…) its executor uses.
import { ValidationUtils } from 'class-validator/cjs/validation/ValidationUtils';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage as transformerStorage } from 'class-transformer/cjs/storage';
import { rejectUnstorableText } from '../common/storable-text';
import { createValidationPipe } from '../common/validation';

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
  /** Properties declared @Type(() => Number): converted as class-transformer converts them. */
  numbers: string[];
}

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);
/** Keys the ValidationPipe deletes from a query before anything else sees it. */
const PROTO_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** class-transformer's @Type(() => Number), plainToInstance direction: value by value, null stays. */
function toNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toNumbers);
  return value === null || value === undefined ? value : Number(value);
}

/** A JSON object or a parsed query string (Fastify's has no prototype); not an array or a class instance. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * The one global pipe. First it rejects text PostgreSQL cannot store (NUL, lone surrogates)
 * anywhere in a body, query or parameter. Then it applies the ValidationPipe's rules and
 * messages, executed faster for JSON bodies and query strings: each DTO's class-validator
 * metadata is read once into a plan, and each request runs the same constraint validators
 * directly, after the one conversion DTOs declare (@Type(() => Number), applied as
 * class-transformer applies it). A DTO using anything else (other @Type targets, @Transform,
 * @Expose, @Exclude, async or conditional-per-check validators) goes to the standard
 * ValidationPipe, so behaviour is the same either way. One pipe rather than two: Nest awaits
 * every pipe of every parameter.
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
    if ((type !== 'body' && type !== 'query') || !metatype || PRIMITIVES.has(metatype)) {
      return this.standard.transform(value, metadata);
    }
    const plan = this.planFor(metatype);
    const input = value ?? {};
    if (!plan || !isRecord(input)) return this.standard.transform(value, metadata);
    const instance = Object.create(metatype.prototype as object) as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      // JSON bodies never hold these (the JSON parser refuses __proto__ and constructor).
      if (type === 'query' && PROTO_KEYS.has(key)) continue;
      instance[key] = input[key];
    }
    for (const name of plan.numbers) if (name in instance) instance[name] = toNumbers(instance[name]);
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
      const names = properties.map((p) => p.name);
      const unsupported =
        properties.some((p) => p.checks.some((c) => c.metadata.validateIf || c.async)) ||
        !onlyNumberConversions(metatype, names);
      plan = unsupported
        ? null
        : {
            properties,
            known: new Set(names),
            numbers: names.filter((name) => declaredType(metatype, name) === Number),
          };
    }
    this.plans.set(metatype, plan);
    return plan;
  }
}

/** The target of a property's @Type(() => …), if it declares one. */
function declaredType(metatype: Type<unknown>, name: string): unknown {
  return transformerStorage.findTypeMetadata(metatype, name)?.typeFunction();
}

/** True when class-transformer would change nothing but @Type(() => Number) properties. */
function onlyNumberConversions(metatype: Type<unknown>, names: string[]): boolean {
  if (transformerStorage.getExposedMetadatas(metatype).length > 0) return false;
  if (transformerStorage.getExcludedMetadatas(metatype).length > 0) return false;
  return names.every((name) => {
    const type = declaredType(metatype, name);
    const transforms = transformerStorage.findTransformMetadatas(metatype, name, TransformationType.PLAIN_TO_CLASS);
    return transforms.length === 0 && (type === undefined || type === Number);
  });
}
