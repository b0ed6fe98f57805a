/** The shapes of the API's answers that the pages read (see /docs for every field). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Job {
  id: string;
  job_type: string;
  status: string;
  media_url: string;
  prompt: string | null;
  parameters: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  processing_time_ms: number | null;
  priority: number;
  attempts: number;
  max_attempts: number;
  worker_id: string | null;
  lease_expires_at: string | null;
  progress?: number | null;
  progress_message?: string | null;
  has_callback?: boolean;
}

export interface Asset {
  id: string;
  asset_type: string;
  file_path: string;
  file_size_bytes: number | null;
  mime_type: string | null;
  created_at: string;
}

export interface Transcription {
  id: string;
  provider: string;
  language: string | null;
  text_content: string;
  confidence_score: number | null;
  word_timestamps: unknown;
  created_at: string;
}

export interface AnalysisResult {
  id: string;
  analysis_type: string;
  summary: string | null;
  detailed_analysis: unknown;
  confidence_score: number | null;
  model_used: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  created_at: string;
}

export interface JobDetail extends Job {
  assets: Asset[];
  transcriptions: Transcription[];
  analysis_results: AnalysisResult[];
}

export interface QueueStats {
  counts: Record<'pending' | 'processing' | 'completed' | 'failed', number>;
  total: number;
  oldest_pending_created_at: string | null;
  last_5_minutes: { completed: number; failed: number };
  last_hour: { completed: number; failed: number };
}

export interface Stats {
  generated_at: string;
  job_types: (QueueStats & { job_type: string })[];
  totals: QueueStats;
}

export const JOB_TYPES = ['video', 'audio', 'document'];
export const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
