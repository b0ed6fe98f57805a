import { useEffect, useState } from 'preact/hooks';
import { getJson, send } from '../api';
import { ConfirmDialog, ErrorMessage, JsonBlock, StatusBadge, toast, useLoad } from '../components/common';
import { Captions } from '../components/Captions';
import { onJobEvent, type JobEvent } from '../events';
import { formatBytes, formatDuration, formatRelative, formatTime } from '../format';
import { navigate } from '../router';
import type { JobDetail, Page } from '../types';

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Timeline({ jobId, version }: { jobId: string; version: number }) {
  const events = useLoad(
    (signal) => getJson<Page<JobEvent>>(`/api/events?job_id=${jobId}&limit=1000`, signal),
    [jobId, version],
  );
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Event timeline</h2>
      <ErrorMessage error={events.error} missing="The event timeline is not available on this server yet." />
      {events.data && events.data.items.length === 0 && <p class="muted">No events recorded for this job.</p>}
      {events.data && events.data.items.length > 0 && (
        <ol class="timeline">
          {events.data.items.map((event) => (
            <li key={event.id}>
              <time dateTime={event.created_at}>{formatTime(event.created_at)}</time>{' '}
              <span class="event-type">{event.type}</span>
              {event.type === 'job.failed' && event.data?.error ? `: ${String(event.data.error)}` : ''}
              {event.type === 'job.progress' && event.data?.progress != null
                ? `: ${String(event.data.progress)} %`
                : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** One job: its fields, timeline, children, transcript with captions, analyses; retry and delete. */
export function JobPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const job = useLoad((signal) => getJson<JobDetail>(`/api/jobs/${id}`, signal), [id, version]);
  const [confirm, setConfirm] = useState<'retry' | 'delete'>();

  // Follow this job live: any event of it reloads the page's data.
  useEffect(() => onJobEvent((event) => event.job_id === id && setVersion((v) => v + 1)), [id]);

  if (job.error && !job.data) {
    return (
      <section>
        <h1>Job {id}</h1>
        <ErrorMessage error={job.error} />
      </section>
    );
  }
  const data = job.data;
  if (!data) return <p class="muted">Loading…</p>;
  const children = data.assets.length + data.transcriptions.length + data.analysis_results.length;

  return (
    <section aria-labelledby="job-title">
      <div class="page-head">
        <h1 id="job-title">
          {data.job_type} job <span class="mono">{data.id}</span>
        </h1>
        <div class="actions">
          {data.status === 'failed' && (
            <button type="button" class="primary" onClick={() => setConfirm('retry')}>
              Retry
            </button>
          )}
          <button type="button" class="danger" onClick={() => setConfirm('delete')}>
            Delete
          </button>
        </div>
      </div>
      <ErrorMessage error={job.error} />
      <dl class="fields">
        <Field label="Status">
          <StatusBadge status={data.status} />
          {data.progress != null && ` ${data.progress} %${data.progress_message ? ` – ${data.progress_message}` : ''}`}
        </Field>
        <Field label="Media">
          <span class="mono break">{data.media_url}</span>
        </Field>
        <Field label="Prompt">{data.prompt ?? '—'}</Field>
        <Field label="Error">{data.error ? <span class="error-text">{data.error}</span> : '—'}</Field>
        <Field label="Created">
          {formatTime(data.created_at)} <span class="muted">({formatRelative(data.created_at)})</span>
        </Field>
        <Field label="Updated">{formatTime(data.updated_at)}</Field>
        <Field label="Started">{formatTime(data.started_at)}</Field>
        <Field label="Finished">{formatTime(data.completed_at)}</Field>
        <Field label="Processing time">{formatDuration(data.processing_time_ms)}</Field>
        <Field label="Priority">{data.priority}</Field>
        <Field label="Attempts">
          {data.attempts} of {data.max_attempts}
        </Field>
        <Field label="Worker">{data.worker_id ?? '—'}</Field>
        <Field label="Lease expires">
          {data.lease_expires_at
            ? `${formatTime(data.lease_expires_at)} (${formatRelative(data.lease_expires_at)})`
            : '—'}
        </Field>
        <Field label="Parameters">
          <JsonBlock label="Show parameters" value={data.parameters} />
        </Field>
        <Field label="Result">
          <JsonBlock label="Show result" value={data.result} />
        </Field>
      </dl>

      <Timeline jobId={id} version={version} />

      <section aria-labelledby="transcripts-title">
        <h2 id="transcripts-title">Transcriptions ({data.transcriptions.length})</h2>
        {data.transcriptions.length === 0 && <p class="muted">None yet.</p>}
        {data.transcriptions.map((t) => (
          <article key={t.id} class="card" aria-label={`Transcription by ${t.provider}`}>
            <h3>
              {t.provider} {t.language && <span class="muted">({t.language})</span>}
            </h3>
            <p class="muted">
              {formatTime(t.created_at)}
              {t.confidence_score != null && ` · confidence ${(t.confidence_score * 100).toFixed(0)} %`} ·{' '}
              {t.text_content.length.toLocaleString()} characters
            </p>
            <details>
              <summary>Transcript</summary>
              <p class="transcript">{t.text_content}</p>
            </details>
            <Captions transcriptionId={t.id} hasWords={Array.isArray(t.word_timestamps)} />
          </article>
        ))}
      </section>

      <section aria-labelledby="analyses-title">
        <h2 id="analyses-title">Analysis results ({data.analysis_results.length})</h2>
        {data.analysis_results.length === 0 && <p class="muted">None yet.</p>}
        {data.analysis_results.map((r) => (
          <article key={r.id} class="card" aria-label={`${r.analysis_type} analysis`}>
            <h3>
              {r.analysis_type} analysis {r.model_used && <span class="muted">by {r.model_used}</span>}
            </h3>
            <p class="muted">
              {formatTime(r.created_at)}
              {r.confidence_score != null && ` · confidence ${(r.confidence_score * 100).toFixed(0)} %`}
              {r.input_tokens != null && ` · ${r.input_tokens.toLocaleString()} tokens in`}
              {r.output_tokens != null && `, ${r.output_tokens.toLocaleString()} out`}
            </p>
            {r.summary && <p>{r.summary}</p>}
            <JsonBlock label="Detailed analysis" value={r.detailed_analysis} />
          </article>
        ))}
      </section>

      <section aria-labelledby="assets-title">
        <h2 id="assets-title">Assets ({data.assets.length})</h2>
        {data.assets.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Path</th>
                <th scope="col">Size</th>
                <th scope="col">MIME type</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {data.assets.map((a) => (
                <tr key={a.id}>
                  <td>{a.asset_type}</td>
                  <td class="mono break">{a.file_path}</td>
                  <td class="num">{formatBytes(a.file_size_bytes)}</td>
                  <td>{a.mime_type ?? '—'}</td>
                  <td>{formatTime(a.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {confirm === 'retry' && (
        <ConfirmDialog
          title="Retry this job?"
          confirmLabel="Retry job"
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await send('POST', `/api/jobs/${id}/retry`);
            toast('Job retried: it is pending again.');
            setVersion((v) => v + 1);
          }}
        >
          <p>It goes back to pending; its error, result and attempt count are cleared.</p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title="Delete this job?"
          confirmLabel="Delete job"
          danger
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await send('DELETE', `/api/jobs/${id}`);
            toast(`Job ${id} deleted.`);
            navigate('jobs');
          }}
        >
          <p>
            The job and everything produced for it ({children} {children === 1 ? 'item' : 'items'}) are deleted. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
