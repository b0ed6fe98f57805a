import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, BODY_ERRORS } from '../common/api-responses';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreateAnalysisResultDto } from './dto/create-analysis-result.dto';
import { ListAnalysisResultsQueryDto } from './dto/list-analysis-results-query.dto';
import { AnalysisResultPageDto, AnalysisResultResponseDto } from './dto/analysis-result-response.dto';
import { AnalysisResultsRepository } from './analysis-results.repository';

@ApiTags('analysis-results')
@Controller('api')
export class AnalysisResultsController {
  constructor(private readonly results: AnalysisResultsRepository) {}

  @Post('jobs/:id/analysis-results')
  @ApiOperation({ summary: 'Record an analysis result of a job' })
  @ApiCreatedResponse({ type: AnalysisResultResponseDto })
  @ApiErrors(...BODY_ERRORS, 404)
  async create(
    @UuidParam('id') jobId: string,
    @Body() body: CreateAnalysisResultDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.results.create(jobId, body);
    reply.header('Location', `/api/analysis-results/${result.id}`);
    return result;
  }

  @Get('jobs/:id/analysis-results')
  @ApiOperation({ summary: "List a job's media analysis-results, oldest first" })
  @ApiOkResponse({ type: AnalysisResultPageDto })
  @ApiErrors(400, 404)
  list(@UuidParam('id') jobId: string, @Query() query: ListAnalysisResultsQueryDto) {
    return this.results.listByJobId(jobId, query, query.analysis_type);
  }

  @Get('analysis-results/:result_id')
  @ApiOperation({ summary: 'Get an analysis result' })
  @ApiOkResponse({ type: AnalysisResultResponseDto })
  @ApiErrors(400, 404)
  get(@UuidParam('result_id') id: string) {
    return this.results.getById(id);
  }

  @Delete('analysis-results/:result_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an analysis result' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404)
  async delete(@UuidParam('result_id') id: string): Promise<void> {
    await this.results.delete(id);
  }
}
