import type { TestApp } from '../utils/test-app';
import { createJob, expectError, expectNoChange, startApi, type Json } from '../utils/fixtures';

/** Request validation of the three child endpoints: 400 naming the field, no row changed. */
describe('validation: children of a job', () => {
  let t: TestApp;
  let job: Json;
  beforeAll(async () => {
    t = await startApi();
    job = await createJob(t);
  });
  afterAll(() => t.close());

  const asset = { asset_type: 'frame', file_path: 's3://bucket/f.jpg' };
  const transcription = { provider: 'deepgram', text_content: 'hello' };
  const analysis = { analysis_type: 'audio' };

  async function reject(kind: string, body: unknown, field: string): Promise<void> {
    await expectNoChange(t.db, async () =>
      expectError(await t.http.post(`/api/jobs/${job.id}/${kind}`).send(body as object), 400, field),
    );
  }

  async function accept(kind: string, body: Json): Promise<Json> {
    const res = await t.http.post(`/api/jobs/${job.id}/${kind}`).send(body);
    expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.objectContaining(body) });
    return res.body;
  }

  describe('assets', () => {
    it.each([
      [{ ...asset, asset_type: 'Frame' }, 'asset_type'],
      [{ ...asset, asset_type: '1frame' }, 'asset_type'],
      [{ ...asset, asset_type: 'contact-sheet' }, 'asset_type'],
      [{ ...asset, asset_type: 'a'.repeat(51) }, 'asset_type'],
      [{ ...asset, asset_type: '' }, 'asset_type'],
      [{ file_path: 'x' }, 'asset_type'],
      [{ asset_type: 'frame' }, 'file_path'],
      [{ ...asset, file_path: 7 }, 'file_path'],
      [{ ...asset, file_path: 'p'.repeat(4097) }, 'file_path'],
      [{ ...asset, file_size_bytes: -1 }, 'file_size_bytes'],
      [{ ...asset, file_size_bytes: 1.5 }, 'file_size_bytes'],
      [{ ...asset, file_size_bytes: '10' }, 'file_size_bytes'],
      [{ ...asset, file_size_bytes: 2 ** 53 }, 'file_size_bytes'],
      [{ ...asset, mime_type: 'jpeg' }, 'mime_type'],
      [{ ...asset, mime_type: `image/${'x'.repeat(100)}` }, 'mime_type'],
      [{ ...asset, metadata: [1] }, 'metadata'],
      [{ ...asset, metadata: 'x' }, 'metadata'],
      [{ ...asset, job_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }, 'job_id'],
      [{ ...asset, file_path: 'a\u0000b' }, 'file_path'],
    ])('rejects %j', async (body, field) => {
      await reject('assets', body, field);
    });

    it('accepts the known asset types, any lowercase identifier up to 50, and the size limits', async () => {
      for (const type of ['original', 'frame', 'contact_sheet', 'transcription', 'a', `w${'0'.repeat(49)}`]) {
        await accept('assets', { ...asset, asset_type: type });
      }
      await accept('assets', { ...asset, file_path: 'p'.repeat(4096) });
      await accept('assets', { ...asset, file_path: '🎞'.repeat(4096) });
      await accept('assets', { ...asset, mime_type: `application/${'x'.repeat(88)}` });
    });

    it('returns file_size_bytes as a JSON number, 0 and large values included', async () => {
      for (const size of [0, 1, 2 ** 31, 5_000_000_000_000]) {
        const res = await t.http.post(`/api/jobs/${job.id}/assets`).send({ ...asset, file_size_bytes: size });
        expect(res.status).toBe(201);
        expect(res.text).toContain(`"file_size_bytes":${size}`);
        const again = await t.http.get(`/api/assets/${res.body.id}`);
        expect(again.text).toContain(`"file_size_bytes":${size}`);
      }
    });
  });

  describe('transcriptions', () => {
    it.each([
      [{ ...transcription, provider: 'whisper' }, 'provider'],
      [{ ...transcription, provider: 'Deepgram' }, 'provider'],
      [{ text_content: 'x' }, 'provider'],
      [{ provider: 'groq' }, 'text_content'],
      [{ ...transcription, text_content: 5 }, 'text_content'],
      [{ ...transcription, language: 'zh-Hant-TWX' }, 'language'],
      [{ ...transcription, language: 'english!' }, 'language'],
      [{ ...transcription, language: 5 }, 'language'],
      [{ ...transcription, confidence_score: -0.01 }, 'confidence_score'],
      [{ ...transcription, confidence_score: 1.01 }, 'confidence_score'],
      [{ ...transcription, confidence_score: '0.5' }, 'confidence_score'],
      [{ ...transcription, word_timestamps: 'words' }, 'word_timestamps'],
      [{ ...transcription, word_timestamps: 5 }, 'word_timestamps'],
      [{ ...transcription, word_timestamps: true }, 'word_timestamps'],
      [{ ...transcription, word_timestamps: [1] }, 'word_timestamps[0]'],
      [{ ...transcription, word_timestamps: [['hi', 0, 1]] }, 'word_timestamps[0]'],
      [{ ...transcription, word_timestamps: [{ word: 'hi', start: '0', end: 1 }] }, 'word_timestamps[0].start'],
      [{ ...transcription, word_timestamps: [{ word: 'hi', start: 0 }] }, 'word_timestamps[0].end'],
      [{ ...transcription, word_timestamps: [{ start: 0, end: 1 }] }, 'word_timestamps[0].word'],
      [
        {
          ...transcription,
          word_timestamps: [
            { word: 'a', start: 0, end: 1 },
            { word: 'b', start: 2, end: 1 },
          ],
        },
        'word_timestamps[1].end',
      ],
      [{ ...transcription, word_timestamps: [{ word: 'a', start: -1, end: 1 }] }, 'word_timestamps[0].start'],
      [{ ...transcription, word_timestamps: [{ word: 'a', start: 0, end: 1, confidence: 1.5 }] }, 'confidence'],
      [{ ...transcription, word_timestamps: [{ word: 'a', start: 0, end: 1, speaker: 2 }] }, 'speaker'],
      [{ ...transcription, word_timestamps: { text: 'a\u0000' } }, 'word_timestamps.text'],
      [{ ...transcription, metadata: [] }, 'metadata'],
    ])('rejects %j', async (body, field) => {
      await reject('transcriptions', body, field);
    });

    it('accepts every provider, language tags up to 10, confidence 0 and 1', async () => {
      for (const provider of ['deepgram', 'groq', 'openai', 'gemini'])
        await accept('transcriptions', { ...transcription, provider });
      for (const language of ['en', 'pt-BR', 'zh-Hant-TW'])
        await accept('transcriptions', { ...transcription, language });
      for (const score of [0, 1, 0.5]) await accept('transcriptions', { ...transcription, confidence_score: score });
    });

    it.each([
      [
        [
          { word: 'hello', start: 0.32, end: 0.61, confidence: 0.98 },
          { word: 'world', start: 0.61, end: 1 },
        ],
      ],
      [[]],
      [{ provider_format: { words: [{ w: 'x', s: 1 }] }, version: 2 }],
      [null],
    ])('accepts word_timestamps %j and returns it equal', async (wordTimestamps) => {
      const created = await accept('transcriptions', { ...transcription, word_timestamps: wordTimestamps });
      expect((await t.http.get(`/api/transcriptions/${created.id}`)).body.word_timestamps).toEqual(wordTimestamps);
    });

    it('accepts a text_content of 1,000,000 characters (within the 1 MiB body limit)', async () => {
      const text = 'a'.repeat(1_000_000);
      const res = await t.http
        .post(`/api/jobs/${job.id}/transcriptions`)
        .send({ ...transcription, text_content: text });
      expect(res.status).toBe(201);
      const { rows } = await t.db.query('SELECT length(text_content)::int AS n FROM transcriptions WHERE id = $1', [
        res.body.id,
      ]);
      expect(rows[0].n).toBe(1_000_000);
    });
  });

  describe('analysis results', () => {
    it.each([
      [{}, 'analysis_type'],
      [{ analysis_type: 'image' }, 'analysis_type'],
      [{ ...analysis, summary: 3 }, 'summary'],
      [{ ...analysis, detailed_analysis: [1] }, 'detailed_analysis'],
      [{ ...analysis, detailed_analysis: 'x' }, 'detailed_analysis'],
      [{ ...analysis, confidence_score: -0.1 }, 'confidence_score'],
      [{ ...analysis, confidence_score: 2 }, 'confidence_score'],
      [{ ...analysis, model_used: 'm'.repeat(101) }, 'model_used'],
      [{ ...analysis, prompt_used: ['x'] }, 'prompt_used'],
      [{ ...analysis, input_tokens: -1 }, 'input_tokens'],
      [{ ...analysis, input_tokens: 1.5 }, 'input_tokens'],
      [{ ...analysis, input_tokens: '10' }, 'input_tokens'],
      [{ ...analysis, output_tokens: -1 }, 'output_tokens'],
      [{ ...analysis, output_tokens: 2_147_483_648 }, 'output_tokens'],
      [{ ...analysis, tokens: 5 }, 'tokens'],
    ])('rejects %j', async (body, field) => {
      await reject('analysis-results', body, field);
    });

    it('accepts every analysis type, zero tokens and confidence bounds', async () => {
      for (const type of ['video', 'audio', 'document']) await accept('analysis-results', { analysis_type: type });
      await accept('analysis-results', { ...analysis, input_tokens: 0, output_tokens: 0, confidence_score: 0 });
      await accept('analysis-results', {
        ...analysis,
        input_tokens: 2_147_483_647,
        confidence_score: 1,
        model_used: 'm'.repeat(100),
      });
    });
  });

  it('stores child strings verbatim', async () => {
    const nasty = `"quoted" '; DROP TABLE media_assets; -- 🎙️ \\ \n ñ`;
    const a = await accept('assets', { ...asset, file_path: nasty, metadata: { note: nasty } });
    const tr = await accept('transcriptions', { ...transcription, text_content: nasty, metadata: { [nasty]: 1 } });
    const ar = await accept('analysis-results', {
      ...analysis,
      summary: nasty,
      prompt_used: nasty,
      model_used: nasty,
      detailed_analysis: { nasty },
    });
    const { rows } = await t.db.query(
      `SELECT (SELECT file_path FROM media_assets WHERE id = $1) AS a, (SELECT text_content FROM transcriptions WHERE id = $2) AS t,
              (SELECT summary FROM analysis_results WHERE id = $3) AS r`,
      [a.id, tr.id, ar.id],
    );
    expect(rows[0]).toEqual({ a: nasty, t: nasty, r: nasty });
  });
});
