import { Module } from '@nestjs/common';
import { WebhookTargetsModule } from './webhook-targets.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [WebhookTargetsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
