import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/errors';
import { Environment } from '../config/environment';
import { SecretBox } from './secret-box';
import { TargetPolicy } from './target-policy';

/**
 * What every part of the service that sends or registers webhooks shares: the target policy
 * (SSRF guard, with WEBHOOK_ALLOWED_HOSTS) and the box that seals secrets at rest.
 */
@Injectable()
export class WebhookTargets {
  readonly policy: TargetPolicy;
  readonly secrets: SecretBox;

  constructor(env: Environment) {
    this.policy = new TargetPolicy(env.webhookAllowedHosts);
    this.secrets = new SecretBox(env.WEBHOOK_SECRETS_KEY);
  }

  /** A 400 naming `field` when `url` may not receive webhooks (scheme, or where it resolves). */
  async assertAllowed(field: string, url: string): Promise<void> {
    const problem = await this.policy.problem(field, url);
    if (problem) throw new InvalidInputError([problem]);
  }
}
