import { Body, Controller, Get, HttpStatus, Post, Query, Res, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, BODY_ERRORS } from '../common/api-responses';
import { UuidParam } from '../common/uuid-param.decorator';
import { JobDetailResponseDto } from '../jobs/dto/job-detail-response.dto';
import { JobPageDto, JobResponseDto } from '../jobs/dto/job-response.dto';
import { ListBranchJobsQueryDto } from '../jobs/dto/list-jobs-query.dto';
import type { JobType } from '../jobs/job.entity';
import { JobsService } from '../jobs/jobs.service';
import { CreateMediaJobDto } from './dto/create-media-job.dto';
import { parseIdempotencyKey } from './idempotency-key';

/**
 * The video, audio and document branches are one implementation parameterised by job type:
 * each branch creates, lists and reads jobs of its own type only.
 */
export function createMediaController(jobType: JobType): Type<unknown> {
  @ApiTags(`media: ${jobType}`)
  @Controller(`api/media/${jobType}`)
  class MediaController {
    constructor(readonly jobs: JobsService) {}

    @Post()
    @ApiOperation({ summary: `Submit a ${jobType} job (pending)` })
    @ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      // No example: Swagger UI would prefill it, and every "Try it out" would reuse one key.
      description:
        'Repeat-safe create, e.g. `n8n-run-4821-step-3`: the same key and request return the same job (200); the same key with another request is a 409.',
    })
    @ApiCreatedResponse({ type: JobResponseDto, description: 'Created; Location: /api/jobs/{id}.' })
    @ApiOkResponse({
      type: JobResponseDto,
      description: 'An Idempotency-Key repeat: the job created earlier, as it is now.',
    })
    @ApiErrors(...BODY_ERRORS, 409)
    async create(
      @Body() body: CreateMediaJobDto,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<JobResponseDto> {
      const idempotencyKey = parseIdempotencyKey(reply.request.headers['idempotency-key']);
      const { job, created } = await this.jobs.create({ ...body, job_type: jobType }, idempotencyKey);
      reply.status(created ? HttpStatus.CREATED : HttpStatus.OK).header('Location', `/api/jobs/${job.id}`);
      return job;
    }

    @Get()
    @ApiOperation({ summary: `List ${jobType} jobs, newest first` })
    @ApiOkResponse({ type: JobPageDto })
    @ApiErrors(400)
    list(@Query() query: ListBranchJobsQueryDto) {
      return this.jobs.list(query, jobType);
    }

    @Get(':id')
    @ApiOperation({ summary: `Get a ${jobType} job with its assets, transcriptions and analysis results` })
    @ApiOkResponse({ type: JobDetailResponseDto })
    @ApiErrors(400, 404)
    get(@UuidParam('id') id: string) {
      return this.jobs.getDetail(id, jobType);
    }
  }
  Object.defineProperty(MediaController, 'name', {
    value: `Media${jobType[0].toUpperCase()}${jobType.slice(1)}Controller`,
  });
  return MediaController;
}
