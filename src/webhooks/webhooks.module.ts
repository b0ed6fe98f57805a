import { Module } from '@nestjs/common';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookSenderService } from './webhook-sender.service';
import { WebhookTargetsModule } from './webhook-targets.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [WebhookTargetsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookSenderService, WebhookMetrics],
})
export class WebhooksModule {}
