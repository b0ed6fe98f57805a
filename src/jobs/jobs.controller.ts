import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, BODY_ERRORS } from '../common/api-responses';
import { NoBody } from '../common/no-body.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { BulkActionResponseDto, BulkDeleteDto, BulkRetryDto } from './dto/bulk-actions.dto';
import { ClaimJobDto, CompleteJobDto, FailJobDto, HeartbeatJobDto } from './dto/job-actions.dto';
import { JobDetailResponseDto } from './dto/job-detail-response.dto';
import { JobPageDto, JobResponseDto } from './dto/job-response.dto';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobBulkService } from './job-bulk.service';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('api/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly bulk: JobBulkService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first (keyset pagination)' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiErrors(400)
  list(@Query() query: ListJobsQueryDto) {
    return this.jobs.list(query);
  }

  @Post('claim')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Claim the next pending job: highest priority, then oldest' })
  @ApiOkResponse({ type: JobResponseDto, description: 'The claimed job, now processing under a lease.' })
  @ApiNoContentResponse({ description: 'No pending job waits.' })
  @ApiErrors(...BODY_ERRORS)
  async claim(@Body() body: ClaimJobDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const job = await this.jobs.claim({
      jobTypes: body.job_types,
      workerId: body.worker_id,
      leaseSeconds: body.lease_seconds,
    });
    if (!job) reply.status(HttpStatus.NO_CONTENT);
    return job;
  }

  @Post('bulk-retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Retry every matching failed job (failed → pending, as retry does)',
    description:
      'Works in chunks of at most 1,000 jobs per statement with SKIP LOCKED, so it is safe while workers claim; ' +
      'each retried job writes its job.retried event. dry_run counts without changing anything.',
  })
  @ApiOkResponse({ type: BulkActionResponseDto })
  @ApiErrors(400)
  bulkRetry(@Body() body: BulkRetryDto) {
    return this.bulk.retry(body);
  }

  @Post('bulk-delete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Delete every matching job in a status, with its children',
    description:
      'Works in chunks of at most 1,000 jobs per statement with SKIP LOCKED (a job another caller holds is ' +
      'skipped); each deleted job writes its job.deleted event. dry_run counts without deleting.',
  })
  @ApiOkResponse({ type: BulkActionResponseDto })
  @ApiErrors(400)
  bulkDelete(@Body() body: BulkDeleteDto) {
    return this.bulk.delete(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a job with its assets, transcriptions and analysis results' })
  @ApiOkResponse({ type: JobDetailResponseDto })
  @ApiErrors(400, 404)
  get(@UuidParam('id') id: string) {
    return this.jobs.getDetail(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a job and, by cascade, everything produced for it' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404)
  async delete(@UuidParam('id') id: string): Promise<void> {
    await this.jobs.delete(id);
  }

  @Post(':id/start')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'pending → processing, without a lease' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  start(@UuidParam('id') id: string, @NoBody() _body: void) {
    return this.jobs.startProcessing(id);
  }

  @Post(':id/complete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'processing → completed; sets completed_at and processing_time_ms' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  complete(@UuidParam('id') id: string, @Body() body: CompleteJobDto) {
    return this.jobs.updateStatus(id, { status: 'completed', result: body.result, worker_id: body.worker_id });
  }

  @Post(':id/fail')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'pending or processing → failed, with the error' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  fail(@UuidParam('id') id: string, @Body() body: FailJobDto) {
    return this.jobs.updateStatus(id, { status: 'failed', error: body.error, worker_id: body.worker_id });
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'failed → pending; clears the outcome and the attempt count' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  retry(@UuidParam('id') id: string, @NoBody() _body: void) {
    return this.jobs.updateStatus(id, { status: 'pending' });
  }

  @Post(':id/heartbeat')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Extend a claimed job's lease to now + lease_seconds, optionally reporting progress" })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  heartbeat(@UuidParam('id') id: string, @Body() body: HeartbeatJobDto) {
    return this.jobs.heartbeat(id, {
      leaseSeconds: body.lease_seconds,
      workerId: body.worker_id,
      progress: body.progress,
      progressMessage: body.progress_message,
    });
  }
}
