import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-responses';
import { StatsResponseDto } from './dto/stats-response.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@Controller('api/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({
    summary: 'The queue at a glance',
    description:
      'Counts per job type and status, the oldest pending job per type, and completions and failures ' +
      'in the last 5 minutes and hour (by completed_at).',
  })
  @ApiOkResponse({ type: StatsResponseDto })
  @ApiErrors(400)
  read() {
    return this.stats.read();
  }
}
