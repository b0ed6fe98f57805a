/** Every event type of the contract (API.md, "Job events"): what a subscription may filter on. */
export const EVENT_TYPES = [
  'job.created',
  'job.started',
  'job.progress',
  'job.completed',
  'job.failed',
  'job.requeued',
  'job.retried',
  'job.deleted',
  'asset.created',
  'transcription.created',
  'analysis_result.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The events a per-job callback receives. */
export const CALLBACK_EVENT_TYPES = ['job.completed', 'job.failed'] as const;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** SQL list of quoted values, for CHECK constraints and triggers written in migrations. */
export const sqlList = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');
