import { JOB_EVENT_TYPES, type JobEventType } from '../events/job-event.entity';

/** Every event type of the contract (API.md, "Job events"): what a subscription may filter on. */
export const EVENT_TYPES = JOB_EVENT_TYPES;
export type EventType = JobEventType;

/** The events a per-job callback receives. */
export const CALLBACK_EVENT_TYPES = ['job.completed', 'job.failed'] as const;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** SQL list of quoted values, for CHECK constraints and triggers written in migrations. */
export const sqlList = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');
