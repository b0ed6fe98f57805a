import { useState } from 'preact/hooks';
import { getJson, query, send } from '../api';
import { ConfirmDialog, ErrorMessage, JsonBlock, StatusBadge, toast, useLoad } from '../components/common';
import { formatTime, shortId } from '../format';
import { href } from '../router';
import type { Page } from '../types';

interface Webhook {
  id: string;
  url: string;
  description?: string | null;
  event_types?: string[] | null;
  job_types?: string[] | null;
  enabled?: boolean;
  disabled_reason?: string | null;
  created_at?: string;
  [field: string]: unknown;
}

interface Delivery {
  id: string;
  status: string;
  event_id?: number | string;
  event_type?: string;
  job_id?: string;
  attempts?: number;
  response_status?: number | null;
  last_error?: string | null;
  next_attempt_at?: string | null;
  created_at?: string;
  [field: string]: unknown;
}

const NOT_YET = 'Webhooks are not available on this server yet.';
const list = (values: string[] | null | undefined) => (values && values.length > 0 ? values.join(', ') : 'all');

/** Webhook subscriptions (the webhooks feature). */
export function Webhooks() {
  const hooks = useLoad((signal) => getJson<Page<Webhook> | Webhook[]>('/api/webhooks?limit=100', signal), []);
  const items = Array.isArray(hooks.data) ? hooks.data : (hooks.data?.items ?? []);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <ErrorMessage error={hooks.error} missing={NOT_YET} />
      {hooks.data && items.length === 0 && <p class="muted">No webhook subscriptions.</p>}
      {items.length > 0 && (
        <table class="grid">
          <caption class="sr-only">Webhook subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Description</th>
              <th scope="col">Events</th>
              <th scope="col">Job types</th>
              <th scope="col">Enabled</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((hook) => (
              <tr key={hook.id}>
                <td class="break">
                  <a href={href(`webhooks/${hook.id}`)}>{hook.url}</a>
                </td>
                <td>{hook.description ?? ''}</td>
                <td>{list(hook.event_types)}</td>
                <td>{list(hook.job_types)}</td>
                <td>{hook.enabled === false ? 'no' : 'yes'}</td>
                <td>{formatTime(hook.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One subscription with its deliveries (filter, paging) and replay. */
export function WebhookPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [confirm, setConfirm] = useState<{ kind: 'replay'; delivery: Delivery } | { kind: 'toggle' }>();
  const hook = useLoad((signal) => getJson<Webhook>(`/api/webhooks/${id}`, signal), [id, version]);
  const cursor = cursors[cursors.length - 1];
  const deliveries = useLoad(
    (signal) =>
      getJson<Page<Delivery>>(`/api/webhooks/${id}/deliveries${query({ status, limit: 50, cursor })}`, signal),
    [id, status, cursor, version],
  );
  const data = hook.data;
  return (
    <section aria-labelledby="webhook-title">
      <div class="page-head">
        <h1 id="webhook-title">Webhook {data ? <span class="break">{data.url}</span> : shortId(id)}</h1>
        {data && (
          <div class="actions">
            <button type="button" onClick={() => setConfirm({ kind: 'toggle' })}>
              {data.enabled === false ? 'Enable' : 'Disable'}
            </button>
          </div>
        )}
      </div>
      <ErrorMessage error={hook.error} missing={NOT_YET} />
      {data && (
        <dl class="fields">
          <dt>Description</dt>
          <dd>{data.description ?? '—'}</dd>
          <dt>Events</dt>
          <dd>{list(data.event_types)}</dd>
          <dt>Job types</dt>
          <dd>{list(data.job_types)}</dd>
          <dt>Enabled</dt>
          <dd>
            {data.enabled === false ? 'no' : 'yes'}
            {data.disabled_reason ? ` (${data.disabled_reason})` : ''}
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(data.created_at)}</dd>
        </dl>
      )}
      <h2>Deliveries</h2>
      <label class="inline">
        Status{' '}
        <select
          value={status}
          onChange={(e) => {
            setStatus((e.target as HTMLSelectElement).value);
            setCursors([]);
          }}
        >
          <option value="">any</option>
          <option>pending</option>
          <option>succeeded</option>
          <option>failed</option>
        </select>
      </label>
      <ErrorMessage error={deliveries.error} missing={NOT_YET} />
      {deliveries.data && deliveries.data.items.length === 0 && <p class="muted">No deliveries.</p>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <table class="grid">
          <caption class="sr-only">Deliveries, with replay</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Next attempt</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  {delivery.event_type ?? ''} <span class="muted">#{String(delivery.event_id ?? '')}</span>
                  {delivery.job_id && (
                    <>
                      {' '}
                      <a href={href(`jobs/${delivery.job_id}`)}>job {shortId(delivery.job_id)}</a>
                    </>
                  )}
                  <JsonBlock label="Details" value={delivery} />
                </td>
                <td>
                  <StatusBadge status={delivery.status} />
                </td>
                <td class="num">{delivery.attempts ?? ''}</td>
                <td>{delivery.response_status ?? delivery.last_error ?? '—'}</td>
                <td>{formatTime(delivery.next_attempt_at)}</td>
                <td>{formatTime(delivery.created_at)}</td>
                <td>
                  <button type="button" onClick={() => setConfirm({ kind: 'replay', delivery })}>
                    Send again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!deliveries.data?.next_cursor}
          onClick={() => setCursors([...cursors, deliveries.data!.next_cursor!])}
        >
          Next page
        </button>
      </nav>
      {confirm?.kind === 'replay' && (
        <ConfirmDialog
          title="Send this delivery again?"
          confirmLabel="Send again"
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await send('POST', `/api/webhooks/${id}/deliveries/${confirm.delivery.id}/retry`);
            toast('Delivery queued to be sent again.');
            setVersion((v) => v + 1);
          }}
        >
          <p>
            The event {confirm.delivery.event_type ?? ''} is posted to the subscriber again, with the same webhook-id.
          </p>
        </ConfirmDialog>
      )}
      {confirm?.kind === 'toggle' && data && (
        <ConfirmDialog
          title={data.enabled === false ? 'Enable this webhook?' : 'Disable this webhook?'}
          confirmLabel={data.enabled === false ? 'Enable' : 'Disable'}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            const enabled = data.enabled === false;
            await send('PATCH', `/api/webhooks/${id}`, { enabled });
            setVersion((v) => v + 1);
            toast(enabled ? 'Webhook enabled.' : 'Webhook disabled.', 'ok', () =>
              send('PATCH', `/api/webhooks/${id}`, { enabled: !enabled }).then(
                () => setVersion((v) => v + 1),
                (e: Error) => toast(e.message, 'error'),
              ),
            );
          }}
        >
          <p>
            {data.enabled === false
              ? 'Matching events are delivered to it again.'
              : 'No new deliveries are made to it until it is enabled again.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
