import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/api-responses';
import { NoBody } from '../common/no-body.decorator';
import { PageQueryDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/create-webhook.dto';
import { DeliveryPageDto, DeliveryResponseDto, ListDeliveriesQueryDto } from './dto/delivery-response.dto';
import {
  CreatedWebhookResponseDto,
  RotatedSecretResponseDto,
  WebhookPageDto,
  WebhookResponseDto,
} from './dto/webhook-response.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to job events (Standard Webhooks, signed); answers the secret once' })
  @ApiCreatedResponse({ type: CreatedWebhookResponseDto })
  @ApiErrors(400)
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions, newest first (never their secrets)' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto) {
    return this.webhooks.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a subscription' })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiErrors(400, 404)
  get(@UuidParam('id') id: string) {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, filters, description or enabled' })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiErrors(400, 404)
  update(@UuidParam('id') id: string, @Body() body: UpdateWebhookDto) {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a subscription; its pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404)
  async delete(@UuidParam('id') id: string): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A new signing secret; the previous one also signs for 24 hours' })
  @ApiOkResponse({ type: RotatedSecretResponseDto })
  @ApiErrors(400, 404)
  rotateSecret(@UuidParam('id') id: string, @NoBody() _body: void) {
    return this.webhooks.rotateSecret(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A subscription's deliveries, newest first" })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiErrors(400, 404)
  listDeliveries(@UuidParam('id') id: string, @Query() query: ListDeliveriesQueryDto) {
    return this.webhooks.listDeliveries(id, query);
  }

  @Post(':id/deliveries/:delivery_id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again (a failed one is replayed once more)' })
  @ApiAcceptedResponse({ type: DeliveryResponseDto, description: 'Queued: due now.' })
  @ApiErrors(400, 404)
  retryDelivery(@UuidParam('id') id: string, @UuidParam('delivery_id') deliveryId: string, @NoBody() _body: void) {
    return this.webhooks.retryDelivery(id, deliveryId);
  }
}
