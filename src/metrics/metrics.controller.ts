import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiAccessErrors } from '../common/api-responses';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics: request durations, pool gauges, jobs by status and type, claims and transitions',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format.',
    schema: { type: 'string', example: 'job_claims_total{outcome="claimed"} 42' },
  })
  @ApiAccessErrors()
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
