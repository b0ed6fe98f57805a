import { useState } from 'preact/hooks';
import { getJson, query } from '../api';
import { ErrorMessage, StatusBadge, useLoad } from '../components/common';
import { ChoiceField, CreatedRangeFields } from '../components/FilterFields';
import { SearchResults } from '../components/SearchResults';
import { formatDuration, formatRelative, formatTime, localInputToIso, shortId } from '../format';
import { href, navigate } from '../router';
import { JOB_TYPES, STATUSES, type Job, type Page } from '../types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTERS = ['job_type', 'status', 'created_after', 'created_before', 'limit', 'q'] as const;

export function JobTable({ jobs, caption }: { jobs: Job[]; caption: string }) {
  if (jobs.length === 0) return <p class="muted">No jobs match.</p>;
  return (
    <table class="grid">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Took</th>
          <th scope="col">Attempts</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id}>
            <td>
              <a href={href(`jobs/${job.id}`)} class="mono" aria-label={`Job ${job.id}`}>
                {shortId(job.id)}
              </a>
            </td>
            <td>{job.job_type}</td>
            <td>
              <StatusBadge status={job.status} />
            </td>
            <td title={formatRelative(job.created_at)}>{formatTime(job.created_at)}</td>
            <td>{formatDuration(job.processing_time_ms)}</td>
            <td class="num">
              {job.attempts} / {job.max_attempts}
            </td>
            <td class="clip" title={job.error ?? ''}>
              {job.error ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Jobs with filters (kept in the address, so a view can be shared), cursor paging, a jump to a
 * job by id, and full-text search of transcripts and analyses.
 */
export function Jobs({ params }: { params: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  // Cursors of the pages before this one, for "Previous".
  const [cursors, setCursors] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  // The page is keyed by its filters (main.tsx): new filters start again at the first page.
  const key = FILTERS.map((name) => filters[name]).join('|');
  const page = useLoad(
    (signal) =>
      getJson<Page<Job>>(
        `/api/jobs${query({
          job_type: filters.job_type,
          status: filters.status,
          created_after: filters.created_after,
          created_before: filters.created_before,
          limit: filters.limit || 20,
          cursor,
        })}`,
        signal,
      ),
    [key, cursor],
  );

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = String(form.get('q') ?? '').trim();
    if (UUID.test(text)) return navigate(`jobs/${text}`);
    navigate('jobs', {
      job_type: String(form.get('job_type') ?? ''),
      status: String(form.get('status') ?? ''),
      created_after: localInputToIso(String(form.get('created_after') ?? '')),
      created_before: localInputToIso(String(form.get('created_before') ?? '')),
      limit: String(form.get('limit') ?? ''),
      q: text,
    });
  };

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <form class="filters" onSubmit={apply} key={key} aria-label="Filter jobs">
        <ChoiceField label="Type" name="job_type" choices={JOB_TYPES} current={filters.job_type} />
        <ChoiceField label="Status" name="status" choices={STATUSES} current={filters.status} />
        <CreatedRangeFields />
        <label>
          Per page
          <select name="limit">
            {['20', '50', '100'].map((n) => (
              <option key={n} selected={(filters.limit || '20') === n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          Search transcripts and analyses, or paste a job id
          <input type="search" name="q" defaultValue={filters.q} placeholder='e.g. "opening scene" -trailer' />
        </label>
        <button type="submit" class="primary">
          Apply
        </button>
        <a href={href('jobs')} class="button">
          Clear
        </a>
      </form>
      {(filters.created_after || filters.created_before) && (
        <p class="muted">
          Created {filters.created_after && `after ${formatTime(filters.created_after)} `}
          {filters.created_before && `before ${formatTime(filters.created_before)}`}
        </p>
      )}
      {filters.q && <SearchResults q={filters.q} jobType={filters.job_type} />}
      <h2 class={filters.q ? '' : 'sr-only'}>Job list</h2>
      <ErrorMessage error={page.error} />
      {page.data && <JobTable jobs={page.data.items} caption="Jobs, newest first" />}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => {
            const previous = [...cursors];
            setCursor(previous.pop() || undefined);
            setCursors(previous);
          }}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={!page.data?.next_cursor}
          onClick={() => {
            setCursors([...cursors, cursor ?? '']);
            setCursor(page.data!.next_cursor!);
          }}
        >
          Next page
        </button>
      </nav>
    </section>
  );
}
