import { DynamicModule, Module } from '@nestjs/common';
import { AnalysisResultsModule } from './analysis-results/analysis-results.module';
import { AuthModule } from './auth/auth.module';
import { CaptionsModule } from './captions/captions.module';
import { AppConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MediaModule } from './media/media.module';
import { MediaAssetsModule } from './media-assets/media-assets.module';
import { MetricsModule } from './metrics/metrics.module';
import { SearchModule } from './search/search.module';
import { StatsModule } from './stats/stats.module';
import { TranscriptionsModule } from './transcriptions/transcriptions.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** The application for one validated environment (see readEnvironment). */
  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggingModule,
        AuthModule,
        DatabaseModule,
        HealthModule,
        MetricsModule,
        JobsModule,
        MediaModule,
        MediaAssetsModule,
        TranscriptionsModule,
        AnalysisResultsModule,
        SearchModule,
        CaptionsModule,
        EventsModule,
        StatsModule,
        WebhooksModule,
      ],
    };
  }
}
