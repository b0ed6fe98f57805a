import { Module } from '@nestjs/common';
import { WebhookTargets } from './webhook-targets';

/** The target policy and secret box, for the webhooks module and for jobs' callback_url. */
@Module({ providers: [WebhookTargets], exports: [WebhookTargets] })
export class WebhookTargetsModule {}
