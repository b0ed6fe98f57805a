import { getJson, query } from '../api';
import { formatTime, shortId } from '../format';
import { href } from '../router';
import type { Page } from '../types';
import { ErrorMessage, useLoad } from './common';

interface SearchHit {
  kind: string;
  id: string;
  job_id: string;
  job_type: string;
  language: string | null;
  created_at: string;
  rank: number;
  snippet: string;
  matches?: { start: number; end: number; text: string }[];
}

/** Only <mark> survives from a snippet (the API escapes the rest): rendered as text and marks, never as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(<mark>.*?<\/mark>)/g);
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('<mark>') ? <mark key={i}>{decode(part.slice(6, -7))}</mark> : decode(part),
      )}
    </>
  );
}

/** GET /api/search (the search feature): transcripts and analyses that match, best first. */
export function SearchResults({ q, jobType }: { q: string; jobType: string }) {
  const hits = useLoad(
    (signal) => getJson<Page<SearchHit>>(`/api/search${query({ q, job_type: jobType, limit: 20 })}`, signal),
    [q, jobType],
  );
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">Search results for “{q}”</h2>
      <ErrorMessage error={hits.error} missing="Search is not available on this server yet." />
      {hits.data && hits.data.items.length === 0 && <p class="muted">Nothing matches.</p>}
      {hits.data && hits.data.items.length > 0 && (
        <ol class="hits">
          {hits.data.items.map((hit) => (
            <li key={hit.id}>
              <a href={href(`jobs/${hit.job_id}`)}>
                {hit.kind === 'transcription' ? 'Transcript' : 'Analysis'} of {hit.job_type} job {shortId(hit.job_id)}
              </a>{' '}
              <span class="muted">{formatTime(hit.created_at)}</span>
              <p>
                <Snippet text={hit.snippet} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
