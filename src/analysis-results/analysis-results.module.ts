import { Module } from '@nestjs/common';
import { AnalysisResultsController } from './analysis-results.controller';
import { AnalysisResultsService } from './analysis-results.service';

@Module({
  controllers: [AnalysisResultsController],
  providers: [AnalysisResultsService],
  exports: [AnalysisResultsService],
})
export class AnalysisResultsModule {}
