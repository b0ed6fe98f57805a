import { Body, Controller, Param, Post, Query } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, ValidateNested, registerDecorator } from 'class-validator';
import { ListJobsQueryDto } from '../jobs/dto/list-jobs-query.dto';
import { CreateMediaJobDto } from '../media/dto/create-media-job.dto';
import { CompiledValidationPipe, UncompilableDtoError } from './compiled-validation.pipe';
import { compileHandlerParameters } from './validated-parameters';

class NestedDto {
  @ValidateNested()
  child: object;
}

class NoRulesDto {
  name: string;
}

class GroupedDto {
  @IsInt({ groups: ['admin'] })
  level: number;
}

function IsEventuallyTrue(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEventuallyTrue',
      target: target.constructor,
      propertyName: propertyName as string,
      async: true,
      validator: { validate: async (value: unknown) => value === true },
    });
}

class AsyncDto {
  @IsEventuallyTrue()
  ok: boolean;
}

class ConditionalCheckDto {
  @IsString({ validateIf: () => true })
  name: string;
}

describe('CompiledValidationPipe refuses what it cannot compile', () => {
  const pipe = new CompiledValidationPipe();

  it.each([
    [NestedDto, /NestedDto\.child: @nestedValidation|NestedDto\.child: a nestedValidation decorator/],
    [NoRulesDto, /NoRulesDto: it declares no validation decorator/],
    [GroupedDto, /GroupedDto\.level: @isInt \(customValidation\) uses groups/],
    [AsyncDto, /AsyncDto\.ok: @isEventuallyTrue \(customValidation\) is asynchronous/],
  ])('%p, naming the DTO and the decorator', (dto, message) => {
    expect(() => pipe.compile(dto)).toThrow(UncompilableDtoError);
    expect(() => pipe.compile(dto)).toThrow(message);
  });

  it('compiles every DTO of the service', () => {
    expect(pipe.compile(CreateMediaJobDto).known.has('media_url')).toBe(true);
    expect(pipe.compile(ListJobsQueryDto).numbers).toEqual(['limit']);
  });

  it('refuses a check with its own validateIf condition', () => {
    expect(() => pipe.compile(ConditionalCheckDto)).toThrow(/ConditionalCheckDto\.name: @isString .* validateIf/);
  });
});

describe('compileHandlerParameters', () => {
  async function check(controller: new (...args: never[]) => object): Promise<void> {
    const module = await Test.createTestingModule({ controllers: [controller] }).compile();
    try {
      compileHandlerParameters(module.get(ModulesContainer), new CompiledValidationPipe());
    } finally {
      await module.close();
    }
  }

  it('refuses at start a handler whose body DTO cannot be compiled, naming handler, DTO and decorator', async () => {
    @Controller('bad')
    class BadController {
      @Post(':id')
      create(@Param('id') _id: string, @Body() _body: NestedDto) {}
    }
    await expect(check(BadController)).rejects.toThrow(/BadController\.create, parameter 1: .*NestedDto\.child/);
  });

  it('refuses a primitive body and a path parameter that is not a string', async () => {
    @Controller('primitive')
    class PrimitiveBodyController {
      @Post()
      create(@Body() _body: string) {}
    }
    @Controller('numeric')
    class NumericParamController {
      @Post(':n')
      create(@Param('n') _n: number) {}
    }
    await expect(check(PrimitiveBodyController)).rejects.toThrow(/PrimitiveBodyController\.create, parameter 0/);
    await expect(check(NumericParamController)).rejects.toThrow(/NumericParamController\.create, parameter 0/);
  });

  it('accepts the handlers the service declares', async () => {
    @Controller('good')
    class GoodController {
      @Post(':id')
      create(@Param('id') _id: string, @Body() _body: CreateMediaJobDto, @Query() _query: ListJobsQueryDto) {}
    }
    await expect(check(GoodController)).resolves.toBeUndefined();
  });
});
