import SrtParser from 'srt-parser-2';
import { addTranscription, createJob, expectError, startApi, UNKNOWN_ID, type Json } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webvtt = require('node-webvtt') as {
  parse(
    text: string,
    options?: { strict?: boolean },
  ): { valid: boolean; cues: { start: number; end: number; text: string }[] };
};

const WORDS = [
  { word: 'Hello', start: 0.32, end: 0.61 },
  { word: 'and', start: 0.7, end: 0.8 },
  { word: 'welcome', start: 0.85, end: 1.2 },
  { word: 'to', start: 1.25, end: 1.3 },
  { word: 'a', start: 1.35, end: 1.4 },
  { word: '<review>', start: 1.45, end: 2.001 },
  { word: '-->', start: 2.1, end: 2.2 },
  { word: 'Q&A.', start: 2.3, end: 2.9 },
  { word: 'Next', start: 5, end: 5.4 },
];

describe('GET /api/transcriptions/{id}/captions', () => {
  let t: TestApp;
  let timed: Json;
  let untimed: Json;
  let objectTimed: Json;
  const captions = (id: string, query: Record<string, string | number> = {}) =>
    t.http.get(`/api/transcriptions/${id}/captions`).query(query);

  beforeAll(async () => {
    t = await startApi();
    const job = await createJob(t, 'audio');
    const text_content = WORDS.map((w) => w.word).join(' ');
    timed = await addTranscription(t, job.id, { text_content, word_timestamps: WORDS });
    untimed = await addTranscription(t, job.id, { text_content: 'No times <here> & there' });
    objectTimed = await addTranscription(t, job.id, { text_content: 'x', word_timestamps: { words: [] } });
  });
  afterAll(() => t.close());

  it('answers WebVTT by default, as text/vtt in UTF-8, that a strict parser reads back exactly', async () => {
    const res = await captions(timed.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${timed.id}.vtt"`);
    expect(res.text).toBe(
      'WEBVTT\n\n' +
        '00:00:00.320 --> 00:00:02.900\nHello and welcome to a &lt;review&gt; --&gt; Q&amp;A.\n\n' +
        '00:00:05.000 --> 00:00:05.400\nNext\n',
    );
    const parsed = webvtt.parse(res.text, { strict: true });
    expect(parsed.valid).toBe(true);
    expect(parsed.cues.map((cue) => [cue.start, cue.end])).toEqual([
      [0.32, 2.9],
      [5, 5.4],
    ]);
  });

  it('answers SubRip as application/x-subrip that srt-parser-2 reads back', async () => {
    const res = await captions(timed.id, { format: 'srt', max_chars_per_line: 16, max_lines: 1 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-subrip; charset=utf-8');
    const cues = new SrtParser().fromSrt(res.text);
    expect(cues.map((cue) => cue.text)).toEqual(['Hello and', 'welcome to a', '‹review> ->', 'Q&A.', 'Next']);
    expect(cues[0]).toMatchObject({ id: '1', startTime: '00:00:00,320', endTime: '00:00:00,800' });
  });

  it('answers plain text, and the stored text when there are no timed words', async () => {
    const res = await captions(timed.id, { format: 'txt', max_cue_seconds: 1 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('Hello and welcome to\n\na <review> -->\n\nQ&A.\n\nNext\n');
    const plain = await captions(untimed.id, { format: 'txt' });
    expect(plain.status).toBe(200);
    expect(plain.text).toBe('No times <here> & there');
  });

  it('answers 422 for vtt and srt without a word-timestamp array', async () => {
    for (const [id, format] of [
      [untimed.id, 'vtt'],
      [untimed.id, 'srt'],
      [objectTimed.id, 'vtt'],
    ]) {
      expectError(await captions(id, { format }), 422, 'has no word_timestamps array');
    }
  });

  it('answers 422 naming the problem when stored timed words are unusable (written by plain SQL)', async () => {
    await t.db.query(`UPDATE transcriptions SET word_timestamps = '[{"word": "x", "start": "soon"}]' WHERE id = $1`, [
      objectTimed.id,
    ]);
    expectError(await captions(objectTimed.id), 422, 'word_timestamps[0].start');
  });

  it.each<[string, Record<string, string | number>, string]>([
    ['an unknown format', { format: 'ass' }, 'format must be one of: vtt, srt, txt'],
    ['max_chars_per_line 15', { max_chars_per_line: 15 }, 'max_chars_per_line must not be less than 16'],
    ['max_chars_per_line 101', { max_chars_per_line: 101 }, 'max_chars_per_line must not be greater than 100'],
    ['max_lines 0', { max_lines: 0 }, 'max_lines must not be less than 1'],
    ['max_lines 4', { max_lines: 4 }, 'max_lines must not be greater than 3'],
    ['max_lines 1.5', { max_lines: 1.5 }, 'max_lines must be an integer'],
    ['max_cue_seconds 0.5', { max_cue_seconds: 0.5 }, 'max_cue_seconds must not be less than 1'],
    ['max_cue_seconds 21', { max_cue_seconds: 21 }, 'max_cue_seconds must not be greater than 20'],
    ['max_cue_seconds abc', { max_cue_seconds: 'abc' }, 'max_cue_seconds must be a number'],
    ['an unknown parameter', { lang: 'en' }, 'property lang should not exist'],
  ])('answers 400 for %s', async (_name, query, mentions) => {
    expectError(await captions(timed.id, query), 400, mentions);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expectError(await captions('not-a-uuid'), 400, 'transcription_id must be a UUID');
    expectError(await captions(UNKNOWN_ID), 404, UNKNOWN_ID);
  });
});
