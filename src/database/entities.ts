import { AnalysisResult } from '../analysis-results/analysis-result.entity';
import { JobEvent } from '../events/job-event.entity';
import { Job } from '../jobs/job.entity';
import { MediaAsset } from '../media-assets/media-asset.entity';
import { Transcription } from '../transcriptions/transcription.entity';

/** Listed explicitly rather than globbed so ts-node, Jest and compiled JS all load the same set. */
export const ENTITIES = [Job, MediaAsset, Transcription, AnalysisResult, JobEvent];
