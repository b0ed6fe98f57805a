import { useState } from 'preact/hooks';
import { getJson, query, send } from '../api';
import { ConfirmDialog, ErrorMessage, toast, useLoad } from '../components/common';
import { ChoiceField, CreatedRangeFields } from '../components/FilterFields';
import { formatCount, localInputToIso } from '../format';
import { JOB_TYPES, type Job, type Page } from '../types';
import { JobTable } from './Jobs';

interface BulkFilter {
  job_type?: string;
  error_contains?: string;
  created_after?: string;
  created_before?: string;
}
interface BulkAnswer {
  matched: number;
  changed: number;
}

function describe(filter: BulkFilter): string {
  const parts = [filter.job_type ? `${filter.job_type} jobs` : 'jobs of any type'];
  if (filter.error_contains) parts.push(`whose error contains “${filter.error_contains}”`);
  if (filter.created_after) parts.push(`created after ${new Date(filter.created_after).toLocaleString()}`);
  if (filter.created_before) parts.push(`created before ${new Date(filter.created_before).toLocaleString()}`);
  return parts.join(', ');
}

function skipped(answer: BulkAnswer): string {
  const held = answer.matched - answer.changed;
  return held > 0 ? ` (${formatCount(held)} skipped: another worker or request held them)` : '';
}

/** Failed jobs, and bulk retry / delete of those that match, each confirmed with the number first. */
export function Failed() {
  const [filter, setFilter] = useState<BulkFilter>({});
  const [version, setVersion] = useState(0);
  const [cursor, setCursor] = useState<string>();
  const [confirm, setConfirm] = useState<{ action: 'retry' | 'delete'; matched: number }>();
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string>();
  const list = useLoad(
    (signal) =>
      getJson<Page<Job>>(
        `/api/jobs${query({ status: 'failed', job_type: filter.job_type, created_after: filter.created_after, created_before: filter.created_before, limit: 50, cursor })}`,
        signal,
      ),
    [filter, version, cursor],
  );
  // The list cannot filter by error text; the bulk action can, so say which jobs it covers.
  const shown = (list.data?.items ?? []).filter(
    (job) => !filter.error_contains || (job.error ?? '').toLowerCase().includes(filter.error_contains.toLowerCase()),
  );

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setCursor(undefined);
    setFilter({
      job_type: text('job_type'),
      error_contains: text('error_contains'),
      created_after: localInputToIso(String(form.get('created_after') ?? '')),
      created_before: localInputToIso(String(form.get('created_before') ?? '')),
    });
  };

  // A dry run first: the confirmation shows how many jobs the action will change.
  const ask = async (action: 'retry' | 'delete') => {
    setChecking(true);
    setCheckError(undefined);
    try {
      const body =
        action === 'retry'
          ? { ...filter, dry_run: true }
          : { status: 'failed', ...withoutError(filter), dry_run: true };
      const answer = await send<BulkAnswer>('POST', `/api/jobs/bulk-${action}`, body);
      setConfirm({ action, matched: answer!.matched });
    } catch (error) {
      setCheckError((error as Error).message);
    } finally {
      setChecking(false);
    }
  };

  return (
    <section aria-labelledby="failed-title">
      <h1 id="failed-title">Failed jobs</h1>
      <form class="filters" onSubmit={apply} aria-label="Choose failed jobs">
        <ChoiceField label="Type" name="job_type" choices={JOB_TYPES} />
        <label class="wide">
          Error contains
          <input type="text" name="error_contains" placeholder="e.g. timeout" />
        </label>
        <CreatedRangeFields />
        <button type="submit">Apply</button>
      </form>
      <div class="actions">
        <button type="button" class="primary" disabled={checking} onClick={() => ask('retry')}>
          Retry all matching…
        </button>
        <button
          type="button"
          class="danger"
          disabled={checking || !!filter.error_contains}
          title={filter.error_contains ? 'Bulk delete cannot filter by error text' : undefined}
          onClick={() => ask('delete')}
        >
          Delete all matching…
        </button>
      </div>
      {checkError && (
        <p class="error" role="alert">
          {checkError}
        </p>
      )}
      <ErrorMessage error={list.error} />
      {list.data && <JobTable jobs={shown} caption="Failed jobs, newest first" />}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={!cursor} onClick={() => setCursor(undefined)}>
          First page
        </button>
        <button type="button" disabled={!list.data?.next_cursor} onClick={() => setCursor(list.data!.next_cursor!)}>
          Next page
        </button>
      </nav>

      {confirm && (
        <ConfirmDialog
          title={confirm.action === 'retry' ? 'Retry failed jobs?' : 'Delete failed jobs?'}
          confirmLabel={
            confirm.matched === 0
              ? 'Nothing to do'
              : `${confirm.action === 'retry' ? 'Retry' : 'Delete'} ${formatCount(confirm.matched)} ${confirm.matched === 1 ? 'job' : 'jobs'}`
          }
          danger={confirm.action === 'delete'}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            if (confirm.matched === 0) return;
            const body = confirm.action === 'retry' ? filter : { status: 'failed', ...withoutError(filter) };
            const answer = (await send<BulkAnswer>('POST', `/api/jobs/bulk-${confirm.action}`, body))!;
            toast(
              `${confirm.action === 'retry' ? 'Retried' : 'Deleted'} ${formatCount(answer.changed)} of ${formatCount(answer.matched)} failed jobs${skipped(answer)}.`,
            );
            setVersion((v) => v + 1);
          }}
        >
          <p data-testid="bulk-count">
            <strong>{formatCount(confirm.matched)}</strong> failed{' '}
            {confirm.matched === 1 ? 'job matches' : 'jobs match'}:{' '}
            {describe(confirm.action === 'retry' ? filter : withoutError(filter))}.
          </p>
          <p>
            {confirm.action === 'retry'
              ? 'They go back to pending, errors and attempts cleared, and workers pick them up again.'
              : 'They are deleted with everything produced for them. This cannot be undone.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function withoutError(filter: BulkFilter): BulkFilter {
  const { error_contains: _ignored, ...rest } = filter;
  return rest;
}
