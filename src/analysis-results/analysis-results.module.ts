import { Module } from '@nestjs/common';
import { AnalysisResultsController } from './analysis-results.controller';
import { AnalysisResultsRepository } from './analysis-results.repository';

@Module({
  controllers: [AnalysisResultsController],
  providers: [AnalysisResultsRepository],
  exports: [AnalysisResultsRepository],
})
export class AnalysisResultsModule {}
