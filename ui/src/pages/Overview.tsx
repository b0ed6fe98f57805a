import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from '../api';
import { ErrorMessage, useLoad, useNow } from '../components/common';
import { StreamIndicator } from '../components/StreamIndicator';
import { onJobEvent, streamState, type JobEvent } from '../events';
import { formatClock, formatCount, formatDuration, formatTime, shortId } from '../format';
import { href } from '../router';
import { useStore } from '../store';
import { STATUSES, type QueueStats, type Stats } from '../types';

const POLL_MS = 5000;
/** At most one stats read per this interval however many events arrive. */
const REFRESH_AFTER_EVENT_MS = 1000;
const FEED_SIZE = 30;

function oldestAge(queue: QueueStats, now: number): string {
  if (!queue.oldest_pending_created_at) return 'none waiting';
  return formatDuration(Math.max(0, now - new Date(queue.oldest_pending_created_at).getTime()));
}

function Row({ label, queue, jobType, now }: { label: string; queue: QueueStats; jobType?: string; now: number }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {STATUSES.map((status) => (
        <td key={status} class="num">
          <a
            href={href('jobs', { status, job_type: jobType })}
            aria-label={`${label}: ${queue.counts[status]} ${status}`}
          >
            {formatCount(queue.counts[status])}
          </a>
        </td>
      ))}
      <td class="num">{formatCount(queue.total)}</td>
      <td title={formatTime(queue.oldest_pending_created_at)}>{oldestAge(queue, now)}</td>
      <td class="num">{formatCount(queue.last_5_minutes.completed)}</td>
      <td class="num">{formatCount(queue.last_5_minutes.failed)}</td>
      <td class="num">{formatCount(queue.last_hour.completed)}</td>
      <td class="num">{formatCount(queue.last_hour.failed)}</td>
    </tr>
  );
}

/**
 * The queue at a glance: /api/stats, read again after events arrive on the stream (at most
 * once a second), and every 5 s while the stream is not live.
 */
export function Overview() {
  const stats = useLoad((signal) => getJson<Stats>('/api/stats', signal), []);
  const state = useStore(streamState);
  const [feed, setFeed] = useState<JobEvent[]>([]);
  const now = useNow();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () =>
      onJobEvent((event) => {
        setFeed((list) => [event, ...list].slice(0, FEED_SIZE));
        pending.current ??= setTimeout(() => {
          pending.current = undefined;
          stats.reload();
        }, REFRESH_AFTER_EVENT_MS);
      }),
    [],
  );
  useEffect(() => () => clearTimeout(pending.current), []);
  useEffect(() => {
    if (state === 'live') return;
    const timer = setInterval(stats.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [state]);

  const data = stats.data;
  return (
    <section aria-labelledby="overview-title">
      <div class="page-head">
        <h1 id="overview-title">Queue overview</h1>
        <StreamIndicator pollSeconds={POLL_MS / 1000} />
      </div>
      <ErrorMessage error={stats.error} />
      {data && (
        <>
          <table class="grid" aria-describedby="overview-updated">
            <caption class="sr-only">Jobs per type and status</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  Job type
                </th>
                <th scope="colgroup" colSpan={4}>
                  Jobs by status
                </th>
                <th scope="col" rowSpan={2}>
                  Total
                </th>
                <th scope="col" rowSpan={2}>
                  Oldest pending waits
                </th>
                <th scope="colgroup" colSpan={2}>
                  Last 5 minutes
                </th>
                <th scope="colgroup" colSpan={2}>
                  Last hour
                </th>
              </tr>
              <tr>
                {STATUSES.map((status) => (
                  <th scope="col" key={status}>
                    {status}
                  </th>
                ))}
                <th scope="col">completed</th>
                <th scope="col">failed</th>
                <th scope="col">completed</th>
                <th scope="col">failed</th>
              </tr>
            </thead>
            <tbody>
              {data.job_types.map((queue) => (
                <Row key={queue.job_type} label={queue.job_type} queue={queue} jobType={queue.job_type} now={now} />
              ))}
            </tbody>
            <tfoot>
              <Row label="all types" queue={data.totals} now={now} />
            </tfoot>
          </table>
          <p id="overview-updated" class="muted">
            Figures as of <span data-testid="stats-time">{formatClock(new Date(data.generated_at))}</span>
          </p>
        </>
      )}
      <h2>Latest events</h2>
      {feed.length === 0 ? (
        <p class="muted">
          {state === 'live' ? 'Waiting for the next change…' : 'Events appear here while the live stream is connected.'}
        </p>
      ) : (
        <ol class="feed" aria-live="off">
          {feed.map((event) => (
            <li key={event.id}>
              <time dateTime={event.created_at}>{formatClock(new Date(event.created_at))}</time>{' '}
              <span class="event-type">{event.type}</span> {event.job_type}{' '}
              <a href={href(`jobs/${event.job_id}`)}>job {shortId(event.job_id)}</a>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
