import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { keysetStatement } from '../common/keyset';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage, type Page } from '../common/pagination';
import { SqlService } from '../database/sql.service';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto/create-webhook.dto';
import type { DeliveryResponseDto, ListDeliveriesQueryDto } from './dto/delivery-response.dto';
import type { CreatedWebhookResponseDto, WebhookResponseDto } from './dto/webhook-response.dto';
import type { PageQueryDto } from '../common/pagination';
import { generateSecret } from './signing';
import { WebhookTargets } from './webhook-targets';
import { DELIVERY_COLUMNS, WEBHOOK_COLUMNS, WEBHOOK_SQL } from './webhook-sql';

const unique = <T>(values: T[] | null | undefined): T[] | null => (values ? [...new Set(values)] : null);

/** Webhook subscriptions and their deliveries (the sending is WebhookSenderService's). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly sql: SqlService,
    private readonly targets: WebhookTargets,
  ) {}

  async create(input: CreateWebhookDto): Promise<CreatedWebhookResponseDto> {
    await this.targets.assertAllowed('url', input.url);
    const secret = generateSecret();
    const [webhook] = await this.sql.query<WebhookResponseDto>(WEBHOOK_SQL.insert, [
      input.url,
      input.description ?? null,
      unique(input.event_types),
      unique(input.job_types),
      this.targets.secrets.seal(secret),
    ]);
    return { ...webhook, secret };
  }

  async list(query: PageQueryDto): Promise<Page<WebhookResponseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { statement, values } = keysetStatement('webhooks', WEBHOOK_COLUMNS, {
      equals: [],
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit,
      order: 'desc',
    });
    return toPage(await this.sql.query<WebhookResponseDto & { cursor_at: string }>(statement, values), limit);
  }

  async get(id: string): Promise<WebhookResponseDto> {
    const [webhook] = await this.sql.query<WebhookResponseDto>(WEBHOOK_SQL.findById, [id]);
    if (!webhook) throw new NotFoundError('Webhook', id);
    return webhook;
  }

  async update(id: string, input: UpdateWebhookDto): Promise<WebhookResponseDto> {
    if (input.url != null) await this.targets.assertAllowed('url', input.url);
    const [webhook] = await this.sql.query<WebhookResponseDto>(WEBHOOK_SQL.update, [
      id,
      input.url ?? null,
      input.description ?? null,
      unique(input.event_types),
      unique(input.job_types),
      input.enabled ?? null,
    ]);
    if (!webhook) throw new NotFoundError('Webhook', id);
    return webhook;
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.sql.query(WEBHOOK_SQL.delete, [id]);
    if (deleted.length === 0) throw new NotFoundError('Webhook', id);
  }

  /** A new secret; the previous one keeps signing for 24 hours so receivers can switch over. */
  async rotateSecret(id: string): Promise<{ secret: string }> {
    const secret = generateSecret();
    const rotated = await this.sql.query(WEBHOOK_SQL.rotateSecret, [id, this.targets.secrets.seal(secret)]);
    if (rotated.length === 0) throw new NotFoundError('Webhook', id);
    return { secret };
  }

  async listDeliveries(webhookId: string, query: ListDeliveriesQueryDto): Promise<Page<DeliveryResponseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { statement, values } = keysetStatement('webhook_deliveries', DELIVERY_COLUMNS, {
      equals: [
        ['webhook_id', webhookId],
        ['status', query.status],
      ],
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit,
      order: 'desc',
    });
    const rows = await this.sql.query<DeliveryResponseDto & { cursor_at: string }>(statement, values);
    // An empty page may mean an unknown subscription: ask only then.
    if (rows.length === 0 && (await this.sql.query(WEBHOOK_SQL.exists, [webhookId])).length === 0) {
      throw new NotFoundError('Webhook', webhookId);
    }
    return toPage(rows, limit);
  }

  /** Makes a delivery due again now, whatever its state (a replay of a failed one, or a resend). */
  async retryDelivery(webhookId: string, deliveryId: string): Promise<DeliveryResponseDto> {
    const [delivery] = await this.sql.query<DeliveryResponseDto>(WEBHOOK_SQL.retryDelivery, [webhookId, deliveryId]);
    if (!delivery) throw new NotFoundError(`Delivery of webhook ${webhookId}`, deliveryId);
    return delivery;
  }
}
