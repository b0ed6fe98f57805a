import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, BODY_ERRORS } from '../common/api-responses';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreateTranscriptionDto, WordTimestampDto } from './dto/create-transcription.dto';
import { ListTranscriptionsQueryDto } from './dto/list-transcriptions-query.dto';
import { TranscriptionPageDto, TranscriptionResponseDto } from './dto/transcription-response.dto';
import { TranscriptionsRepository } from './transcriptions.repository';

@ApiTags('transcriptions')
@ApiExtraModels(WordTimestampDto)
@Controller('api')
export class TranscriptionsController {
  constructor(private readonly transcriptions: TranscriptionsRepository) {}

  @Post('jobs/:id/transcriptions')
  @ApiOperation({ summary: 'Record a transcription of a job' })
  @ApiCreatedResponse({ type: TranscriptionResponseDto })
  @ApiErrors(...BODY_ERRORS, 404)
  async create(
    @UuidParam('id') jobId: string,
    @Body() body: CreateTranscriptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const transcription = await this.transcriptions.create(jobId, body);
    reply.header('Location', `/api/transcriptions/${transcription.id}`);
    return transcription;
  }

  @Get('jobs/:id/transcriptions')
  @ApiOperation({ summary: "List a job's media transcriptions, oldest first" })
  @ApiOkResponse({ type: TranscriptionPageDto })
  @ApiErrors(400, 404)
  list(@UuidParam('id') jobId: string, @Query() query: ListTranscriptionsQueryDto) {
    return this.transcriptions.listByJobId(jobId, query, query.provider);
  }

  @Get('transcriptions/:transcription_id')
  @ApiOperation({ summary: 'Get a transcription' })
  @ApiOkResponse({ type: TranscriptionResponseDto })
  @ApiErrors(400, 404)
  get(@UuidParam('transcription_id') id: string) {
    return this.transcriptions.getById(id);
  }

  @Delete('transcriptions/:transcription_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a transcription' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404)
  async delete(@UuidParam('transcription_id') id: string): Promise<void> {
    await this.transcriptions.delete(id);
  }
}
