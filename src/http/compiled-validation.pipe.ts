import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform, type Type } from '@nestjs/common';
import {
  getMetadataStorage,
  type MetadataStorage,
  type ValidationArguments,
  ValidationTypes,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { rejectUnstorableText } from '../common/storable-text';
import { numberFromQueryFields } from '../common/validation';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

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
  /** Properties declared @NumberFromQuery(): converted as class-transformer's @Type(() => Number) converts them. */
  numbers: string[];
}

/** A DTO the pipe cannot execute: refused when the app starts, naming the DTO and the decorator. */
export class UncompilableDtoError extends Error {
  constructor(dto: string, property: string | undefined, problem: string) {
    super(
      `CompiledValidationPipe cannot compile ${dto}${property ? `.${property}` : ''}: ${problem}. ` +
        'Use the decorators it executes (class-validator property validators, @IsOptional/@ValidateIf, ' +
        '@NumberFromQuery) or teach it the new one in src/http/compiled-validation.pipe.ts.',
    );
    this.name = 'UncompilableDtoError';
  }
}

/** The message of a refused body or query that is not a JSON object (as Nest's ValidationPipe words it). */
const OBJECT_EXPECTED = 'Validation failed (object is expected)';
/** Keys the ValidationPipe deletes from a query before anything else sees it. */
const PROTO_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/** class-transformer's @Type(() => Number), plainToInstance direction: value by value, null stays. */
function toNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toNumbers);
  return value === null || value === undefined ? value : Number(value);
}

/**
 * A JSON object or a parsed query string, not an array or a class instance. Fastify's query
 * parser (fast-querystring) builds its objects from a constructor whose prototype has no
 * prototype itself (`new Empty()`, Empty.prototype = Object.create(null)).
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** class-validator's own token replacement ($constraint1…, $value, $property, $target), which it does not export. */
function replaceTokens(message: string, args: ValidationArguments): string {
  let text = message;
  (args.constraints ?? []).forEach((constraint: unknown, index: number) => {
    const shown = Array.isArray(constraint)
      ? constraint.join(', ')
      : typeof constraint === 'symbol'
        ? String(constraint.description)
        : `${constraint as string}`;
    text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), shown);
  });
  if (args.value !== undefined && args.value !== null && ['string', 'boolean', 'number'].includes(typeof args.value)) {
    text = text.replace(/\$value/g, args.value as string);
  }
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}

/** The decorator behind a metadata entry, as a reader would look for it. */
function decoratorName(metadata: ValidationMetadata): string {
  return metadata.name ? `@${metadata.name} (${metadata.type})` : `a ${metadata.type} decorator`;
}

/**
 * The one global pipe. First it rejects text PostgreSQL cannot store (NUL, lone surrogates)
 * anywhere in a query or parameter (bodies: json-body.ts). Then it applies the ValidationPipe's
 * rules and messages (test/utils/nest-validation-pipe.ts is the reference its spec holds it
 * to), executed faster: each DTO's class-validator metadata is read once, through class-validator's public
 * getMetadataStorage(), into a plan, and each request runs the same constraint validators
 * directly, after the one conversion DTOs may declare (@NumberFromQuery). There is no fallback:
 * a DTO using anything else is refused when the app starts (compileHandlerParameters), with an
 * error naming the DTO, the property and the decorator. One pipe rather than two: Nest awaits
 * every pipe of every parameter.
 */
@Injectable()
export class CompiledValidationPipe implements PipeTransform {
  private readonly plans = new Map<Type<unknown>, ClassPlan>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type } = metadata;
    // A body was walked for the same (and more) by the JSON parser (json-body.ts), its only source.
    if (type !== 'body') rejectUnstorableText(value);
    // Custom decorators validate themselves; a path parameter is a string, checked by its own pipe.
    if (type === 'custom' || (type === 'param' && metatype === String && typeof value === 'string')) return value;
    if ((type !== 'body' && type !== 'query') || !metatype || PRIMITIVES.has(metatype)) {
      throw new Error(`CompiledValidationPipe has no rule for a ${type} parameter of type ${metatype?.name}`);
    }
    return this.validated(this.compile(metatype), metatype, value ?? {}, type);
  }

  /** The plan of a DTO, compiled on first use; throws UncompilableDtoError for what it cannot execute. */
  compile(metatype: Type<unknown>): ClassPlan {
    let plan = this.plans.get(metatype);
    if (!plan) {
      plan = compilePlan(metatype);
      this.plans.set(metatype, plan);
    }
    return plan;
  }

  private validated(plan: ClassPlan, metatype: Type<unknown>, input: unknown, type: 'body' | 'query'): unknown {
    const instance = Object.create(metatype.prototype as object) as Record<string, unknown>;
    // An array is validated as the object of its indexes, a primitive as an empty object: what
    // the ValidationPipe's stand-ins amount to.
    const fields = isRecord(input) || Array.isArray(input) ? (input as Record<string, unknown>) : {};
    for (const key of Object.keys(fields)) {
      // JSON bodies never hold these (the JSON parser refuses __proto__ and constructor).
      if (type === 'query' && PROTO_KEYS.has(key)) continue;
      instance[key] = fields[key];
    }
    for (const name of plan.numbers) if (name in instance) instance[name] = toNumbers(instance[name]);
    const messages = validate(plan, instance, metatype.name);
    if (messages.length > 0) throw new BadRequestException(messages);
    if (!isRecord(input)) throw new BadRequestException([OBJECT_EXPECTED]);
    return instance;
  }
}

function conditionsHold(property: PropertyPlan, object: object, value: unknown): boolean {
  for (const condition of property.conditions) if (!condition(object, value)) return false;
  return true;
}

function validate(plan: ClassPlan, object: object, targetName: string): string[] {
  const messages: string[] = [];
  for (const key of Object.keys(object)) if (!plan.known.has(key)) messages.push(`property ${key} should not exist`);
  for (const property of plan.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!conditionsHold(property, object, value)) continue;
    // Built once per property and only when a check fails is its message map: every request
    // passes here for every property of its DTO.
    let failed: Map<string, string> | undefined;
    const args: ValidationArguments = { targetName, property: property.name, object, value, constraints: [] };
    for (const { metadata, constraint, name } of property.checks) {
      args.constraints = metadata.constraints;
      const valid =
        metadata.each && Array.isArray(value)
          ? value.every((item) => constraint.validate(item, args) === true)
          : constraint.validate(value, args) === true;
      if (valid) continue;
      const message =
        typeof metadata.message === 'function'
          ? metadata.message(args)
          : (metadata.message ?? constraint.defaultMessage?.(args) ?? '');
      (failed ??= new Map()).set(name, replaceTokens(message, args));
    }
    if (failed) messages.push(...failed.values());
  }
  return messages;
}

/** Reads a DTO's class-validator metadata into a plan, refusing anything the plan cannot execute. */
function compilePlan(metatype: Type<unknown>): ClassPlan {
  const dto = metatype.name;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false);
  if (metadatas.length === 0) throw new UncompilableDtoError(dto, undefined, 'it declares no validation decorator');
  for (const m of metadatas) {
    if (m.type !== ValidationTypes.CUSTOM_VALIDATION && m.type !== ValidationTypes.CONDITIONAL_VALIDATION) {
      throw new UncompilableDtoError(dto, m.propertyName, `${decoratorName(m)} is not executed`);
    }
    if (m.groups?.length) throw new UncompilableDtoError(dto, m.propertyName, `${decoratorName(m)} uses groups`);
    if (m.validateIf) {
      throw new UncompilableDtoError(dto, m.propertyName, `${decoratorName(m)} has its own validateIf condition`);
    }
  }
  const grouped = storage.groupByPropertyName(metadatas);
  const properties = Object.entries(grouped).map(([name, list]) => ({
    name,
    conditions: list
      .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
    checks: list
      .filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)
      .flatMap((m) =>
        storage.getTargetValidatorConstraints(m.constraintCls).map((c) => {
          if (c.async) throw new UncompilableDtoError(dto, name, `${decoratorName(m)} is asynchronous`);
          return { metadata: m, constraint: c.instance, name: c.name || m.type };
        }),
      ),
  }));
  const known = new Set(properties.map((p) => p.name));
  const numbers = numberFromQueryFields(metatype);
  for (const name of numbers) {
    if (!known.has(name)) throw new UncompilableDtoError(dto, name, '@NumberFromQuery on a field without validation');
  }
  return { properties, known, numbers };
}
