import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseProbe } from './database-probe';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: DatabaseProbe,
  ) {}

  /**
   * Open without a key, like /health/live (orchestrators probe without secrets): the report says
   * `up` or `down` per check and nothing else, never the driver's error text, which can name
   * the database host, port or user.
   */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 while PostgreSQL answers, 503 while it does not' })
  check() {
    return this.health.check([
      async () => {
        const database = this.indicator.check('database');
        return (await this.database.isUp()) ? database.up() : database.down();
      },
    ]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs, whatever the database' })
  live() {
    return { status: 'ok' };
  }
}
