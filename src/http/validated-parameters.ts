import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { ModulesContainer } from '@nestjs/core';
import { type CompiledValidationPipe, UncompilableDtoError } from './compiled-validation.pipe';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date, undefined]);

/**
 * Compiles, when the app starts, every DTO a route handler takes as its body or query, and
 * checks that every path parameter is a string: whatever the pipe cannot execute stops the
 * start with an error naming the handler, the DTO and the decorator, instead of surfacing as a
 * 500 on the first request that uses it.
 */
export function compileHandlerParameters(container: ModulesContainer, pipe: CompiledValidationPipe): void {
  for (const module of container.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (controller) compileController(controller, pipe);
    }
  }
}

function compileController(controller: Type<unknown>, pipe: CompiledValidationPipe): void {
  const prototype = controller.prototype as object;
  for (const method of Object.getOwnPropertyNames(prototype)) {
    if (method === 'constructor') continue;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, unknown>;
    const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
    for (const key of Object.keys(args)) {
      const [kind, index] = key.split(':').map(Number);
      const metatype = types[index];
      const handler = `${controller.name}.${method}, parameter ${index}`;
      if (kind === RouteParamtypes.PARAM && metatype !== String) {
        throw new Error(`${handler}: a path parameter must be declared as a string, which the pipe leaves as it is`);
      }
      if (kind !== RouteParamtypes.BODY && kind !== RouteParamtypes.QUERY) continue;
      if (PRIMITIVES.has(metatype)) {
        throw new Error(`${handler}: a body or query must be declared as a DTO class the pipe can compile`);
      }
      try {
        pipe.compile(metatype as Type<unknown>);
      } catch (error) {
        if (error instanceof UncompilableDtoError) error.message = `${handler}: ${error.message}`;
        throw error;
      }
    }
  }
}
