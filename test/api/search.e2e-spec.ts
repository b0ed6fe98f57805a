import fc from 'fast-check';
import {
  addAnalysisResult,
  addTranscription,
  createJob,
  expectError,
  ISO_MS,
  startApi,
  type Json,
} from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

/** Timed words of a sentence: word i runs from i to i + 0.5 seconds. */
const timed = (text: string) => text.split(' ').map((word, index) => ({ word, start: index, end: index + 0.5 }));

describe('GET /api/search', () => {
  let t: TestApp;
  let audioJob: Json;
  let videoJob: Json;
  const search = (query: Record<string, string | number>) => t.http.get('/api/search').query(query);
  const ids = (res: { body: { items: Json[] } }) => res.body.items.map((item: Json) => item.id);

  beforeAll(async () => {
    t = await startApi();
    audioJob = await createJob(t, 'audio');
    videoJob = await createJob(t, 'video');
  });
  afterAll(() => t.close());

  describe('matching', () => {
    let english: Json;
    let untagged: Json;
    let portuguese: Json;
    let analysis: Json;

    beforeAll(async () => {
      english = await addTranscription(t, audioJob.id, {
        provider: 'groq',
        language: 'en-US',
        text_content: 'Zebrafish researcher runs the lab. The quick brown fox jumps over the lazy dog.',
        word_timestamps: timed('Zebrafish researcher runs the lab. The quick brown fox jumps over the lazy dog.'),
      });
      untagged = await addTranscription(t, videoJob.id, {
        provider: 'openai',
        text_content: 'zebrafish runs <script>alert("x")</script> & more',
        word_timestamps: { provider_format: 'opaque' },
      });
      portuguese = await addTranscription(t, audioJob.id, {
        provider: 'deepgram',
        language: 'pt-BR',
        text_content: 'Os zebrafish correram pela cidade',
      });
      analysis = await addAnalysisResult(t, videoJob.id, {
        analysis_type: 'video',
        summary: 'Zebrafish keep running in circles',
        detailed_analysis: { topics: ['migration patterns', 'zebrafish'], score: 3, sentiment: 'calm' },
      });
    });

    it('stems by the transcription language, simple when untagged, English for analysis results', async () => {
      const running = await search({ q: 'running zebrafish' });
      expect(running.status).toBe(200);
      // English stems running → run: the en-US transcription and the analysis result, not the untagged one.
      expect(new Set(ids(running))).toEqual(new Set([english.id, analysis.id]));
      const runs = await search({ q: 'runs zebrafish' });
      expect(new Set(ids(runs))).toEqual(new Set([english.id, untagged.id, analysis.id]));
      // Portuguese stemming: corre → correram.
      expect(ids(await search({ q: 'corre' }))).toEqual([portuguese.id]);
    });

    it('stems by a language that no transcription had until now', async () => {
      // Each search looks up the languages in use; a newly used one counts at once.
      expect(ids(await search({ q: 'házban' }))).toEqual([]);
      const hungarian = await addTranscription(t, videoJob.id, { language: 'hu', text_content: 'a házak szépek' });
      expect(ids(await search({ q: 'házban' }))).toEqual([hungarian.id]);
    });

    it('answers every field of a hit with the job type and ISO timestamps', async () => {
      const res = await search({ q: 'lazy dog' });
      expect(res.body).toEqual({ items: [expect.any(Object)], next_cursor: null, capped: false });
      const [hit] = res.body.items;
      expect(Object.keys(hit).sort()).toEqual(
        ['created_at', 'id', 'job_id', 'job_type', 'kind', 'language', 'matches', 'rank', 'snippet'].sort(),
      );
      expect(hit).toMatchObject({
        kind: 'transcription',
        id: english.id,
        job_id: audioJob.id,
        job_type: 'audio',
        language: 'en-US',
        created_at: english.created_at,
      });
      expect(hit.created_at).toMatch(ISO_MS);
      expect(hit.rank).toBeGreaterThan(0);
    });

    it('searches analysis summaries and the strings of detailed_analysis, not its keys', async () => {
      expect(ids(await search({ q: 'migration patterns' }))).toEqual([analysis.id]);
      expect(ids(await search({ q: 'sentiment' }))).toEqual([]);
      const [hit] = (await search({ q: 'calm' })).body.items;
      expect(hit).toMatchObject({ kind: 'analysis_result', language: null, job_type: 'video', matches: [] });
    });

    it('supports phrases, or and exclusion', async () => {
      expect(ids(await search({ q: '"quick brown fox"' }))).toEqual([english.id]);
      expect(ids(await search({ q: '"brown quick fox"' }))).toEqual([]);
      expect(new Set(ids(await search({ q: 'correram or lazy' })))).toEqual(new Set([english.id, portuguese.id]));
      expect(new Set(ids(await search({ q: 'zebrafish -lab -circles' })))).toEqual(
        new Set([untagged.id, portuguese.id]),
      );
    });

    it('escapes the snippet as HTML and marks the matches', async () => {
      const [hit] = (await search({ q: 'alert more', kind: 'transcription' })).body.items;
      expect(hit.id).toBe(untagged.id);
      expect(hit.snippet).toContain(
        '&lt;script&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/script&gt; &amp; <mark>more</mark>',
      );
      expect(hit.snippet).not.toMatch(/<(?!\/?mark>)/);
      // An object of word timestamps has no times to report.
      expect(hit.matches).toEqual([]);
    });

    it('reports the time spans of matched words, a phrase as one span', async () => {
      const [terms] = (await search({ q: 'quick dog' })).body.items;
      expect(terms.matches).toEqual([
        { start: 6, end: 6.5, text: 'quick' },
        { start: 13, end: 13.5, text: 'dog.' },
      ]);
      const [phrase] = (await search({ q: '"fox jumps over the lazy dog" researcher' })).body.items;
      expect(phrase.matches).toEqual([
        { start: 1, end: 1.5, text: 'researcher' },
        { start: 8, end: 13.5, text: 'fox jumps over the lazy dog.' },
      ]);
    });

    it('filters by kind, job_type, language, provider and creation time', async () => {
      const all = new Set([english.id, untagged.id, portuguese.id, analysis.id]);
      expect(new Set(ids(await search({ q: 'zebrafish' })))).toEqual(all);
      expect(ids(await search({ q: 'zebrafish', kind: 'analysis_result' }))).toEqual([analysis.id]);
      expect(new Set(ids(await search({ q: 'zebrafish', job_type: 'video' })))).toEqual(
        new Set([untagged.id, analysis.id]),
      );
      expect(ids(await search({ q: 'zebrafish', language: 'pt-BR' }))).toEqual([portuguese.id]);
      expect(ids(await search({ q: 'zebrafish', provider: 'openai' }))).toEqual([untagged.id]);
      expect(ids(await search({ q: 'zebrafish', provider: 'openai', kind: 'analysis_result' }))).toEqual([]);
      expect(new Set(ids(await search({ q: 'zebrafish', created_after: untagged.created_at })))).toEqual(
        new Set([portuguese.id, analysis.id]),
      );
      expect(new Set(ids(await search({ q: 'zebrafish', created_before: untagged.created_at })))).toEqual(
        new Set([english.id]),
      );
    });
  });

  describe('paging', () => {
    /** Follows next_cursor to the end, calling between() after each page. */
    async function allPages(q: string, limit: number, between: (page: number) => Promise<void> = async () => {}) {
      const seen: Json[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const res = await search({ q, limit, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...res.body.items);
        cursor = res.body.next_cursor;
        if (!cursor) return seen;
        await between(page);
      }
      throw new Error('paging does not end');
    }

    it('walks ties and distinct ranks best first, without repeating or skipping', async () => {
      const job = await createJob(t, 'document');
      const created: string[] = [];
      // Seven identical texts (equal rank) and five with the word more often (higher ranks).
      for (let i = 0; i < 7; i++) created.push((await addTranscription(t, job.id, { text_content: 'plover nest' })).id);
      for (let i = 1; i <= 5; i++) {
        created.push((await addTranscription(t, job.id, { text_content: 'plover '.repeat(i + 1) + 'nest' })).id);
        created.push((await addAnalysisResult(t, job.id, { summary: 'plover nest' })).id);
      }
      const seen = await allPages('plover', 3);
      expect(seen.map((hit) => hit.id).sort()).toEqual([...created].sort());
      const ranks = seen.map((hit) => hit.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    });

    it('neither repeats nor skips an existing hit while hits are inserted during paging', async () => {
      const job = await createJob(t, 'audio');
      const existing: string[] = [];
      for (let i = 0; i < 12; i++) {
        existing.push(
          (await addTranscription(t, job.id, { text_content: `avocet ${'avocet '.repeat(i % 4)}shore` })).id,
        );
      }
      const inserted: string[] = [];
      const seen = await allPages('avocet', 4, async (page) => {
        // Better, equal and worse hits than those already read.
        for (const text of ['avocet avocet avocet avocet avocet', 'avocet shore', 'avocet ' + 'filler '.repeat(60)]) {
          inserted.push((await addTranscription(t, job.id, { text_content: `${text} ${page}` })).id);
        }
      });
      const seenIds = seen.map((hit) => hit.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const id of existing) expect(seenIds).toContain(id);
      expect(seenIds.every((id) => existing.includes(id) || inserted.includes(id))).toBe(true);
    });
  });

  it('indexes a transcript of more than 1 MB of distinct words (the indexed text is bounded)', async () => {
    const words = Array.from({ length: 125_000 }, (_, i) => `x${i.toString(36).padStart(6, '0')}`);
    const text = `sandpiper ${words.join(' ')}`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const res = await t.http
      .post(`/api/jobs/${audioJob.id}/transcriptions`)
      .send({ provider: 'groq', language: 'en', text_content: text });
    expect(res.status).toBe(201);
    expect(res.body.text_content).toBe(text);
    expect(ids(await search({ q: 'sandpiper' }))).toEqual([res.body.id]);
    const { rows } = await t.db.query(`SELECT length(search_vector) AS lexemes FROM transcriptions WHERE id = $1`, [
      res.body.id,
    ]);
    expect(rows[0].lexemes).toBeGreaterThan(5000);
  });

  describe('bad input is a 400 naming the field or the reason', () => {
    it.each<[string, Record<string, string | number>, string | RegExp]>([
      ['no q', {}, 'q must be a string'],
      ['an empty q', { q: '' }, 'q must not be empty'],
      ['a q of 501 characters', { q: 'a'.repeat(501) }, 'q must be at most 500 characters'],
      ['a q of only operators', { q: '"" -( ) | & ! <-> :* "' }, 'q must contain at least one word'],
      ['a q of blanks', { q: '   ' }, 'q must contain at least one word'],
      ['an unknown kind', { q: 'x', kind: 'job' }, 'kind must be one of: transcription, analysis_result'],
      ['an unknown job_type', { q: 'x', job_type: 'podcast' }, 'job_type must be one of'],
      ['a bad language', { q: 'x', language: 'english!' }, 'language must be a BCP 47 language tag'],
      ['an unknown provider', { q: 'x', provider: 'whisper' }, 'provider must be one of'],
      ['limit 0', { q: 'x', limit: 0 }, 'limit must not be less than 1'],
      ['limit 101', { q: 'x', limit: 101 }, 'limit must not be greater than 100'],
      ['a forged cursor', { q: 'x', cursor: Buffer.from('1|job|x').toString('base64url') }, /^cursor /],
      ['a list cursor', { q: 'x', cursor: 'MjAyNi0wMS0yMFQxMDowMDowMC4wMDAwMDBafDNmYTg1ZjY0' }, /^cursor /],
      ['a bad created_after', { q: 'x', created_after: 'yesterday' }, 'created_after must be an ISO 8601'],
      ['an unknown parameter', { q: 'x', sort: 'rank' }, 'property sort should not exist'],
    ])('%s', async (_name, query, mentions) => {
      expectError(await search(query), 400, mentions);
    });

    it('answers adversarial but wordy queries normally', async () => {
      for (const q of [
        '"unbalanced quote',
        'zebrafish"',
        `${'x'.repeat(500)}`,
        '-zebrafish',
        'or or or',
        "o'reilly \\ :*",
      ]) {
        const res = await search({ q });
        expect({ q, status: res.status }).toEqual({ q, status: 200 });
        expect(res.body.items).toEqual(expect.any(Array));
      }
    });

    it('never answers 5xx, whatever q is (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 500 }),
            fc.string({ unit: 'grapheme', maxLength: 120 }),
            fc
              .array(
                fc.constantFrom('"', '-', 'or', 'and', '(', ')', '!', '&', '|', '<->', ':*', "'", 'zebrafish', ' '),
                {
                  maxLength: 30,
                },
              )
              .map((parts) => parts.join('')),
          ),
          async (q) => {
            const res = await search({ q });
            expect([200, 400]).toContain(res.status);
            if (res.status === 400) expect(JSON.stringify(res.body.message)).toMatch(/\bq /);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
