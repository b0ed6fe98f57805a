/**
 * Search bench data, generated inside PostgreSQL (no text crosses the wire): a pool of
 * sentences per language built from a small real vocabulary (frequent words, skewed) and a
 * long tail of made-up words, then per job one transcription of 25 sentences (about 2 KB) and
 * one analysis result (an English summary and a detailed_analysis object). One transcription
 * in 10 has a word-timestamp array; 1 document in 1,000 holds the rare word "zeppelin", and
 * 1 English sentence in 400 the phrase "quarterly budget review".
 */
import type { Client } from 'pg';

const VOCABULARY: Record<string, string> = {
  en: `the of and to in is that it for was on are with as be at this have from or by one had not but what all were we when
       your can said there use an each which she do how their if will up other about out many then them these so some her
       would make like him into time has look two more write go see number no way could people my than first water been
       call who oil its now find long down day did get come made may part project team meeting customer report running runs
       ran market growth revenue product launch design review budget quarterly interview video audio document analysis`,
  pt: `o de a e que do da em um para com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser
       quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo aos ter seus quem nas me
       esse eles estão você tinha foram essa num nem suas meu às minha têm numa pelos elas havia seja qual será nós tenho
       projeto equipe reunião cliente relatório correndo correr mercado crescimento receita produto lançamento orçamento`,
  es: `de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí porque esta
       entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni contra otros ese
       eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual
       proyecto equipo reunión cliente informe corriendo correr mercado crecimiento ingresos producto lanzamiento presupuesto`,
  de: `der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass
       sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch
       man sein wurde sei prozent hatte kann gegen vom können schon wenn habe seine mark ihre dann unter wir soll ich eines
       projekt mannschaft besprechung kunde bericht laufen läuft markt wachstum umsatz produkt einführung haushalt`,
  fr: `de la le et les des en un du une que est pour qui dans par plus pas au sur se ne son il sont avec ce ou elle aux
       mais comme on tout nous sa cette ses fait été aussi leur bien peut ces deux ans encore même lui entre était
       dont très sans après avant sous depuis moins chez peu toujours leurs autres autre alors faire notre faut donc
       projet équipe réunion client rapport courir court marché croissance revenu produit lancement budget trimestriel`,
};

/** Transcription languages and their share (tenths); null is "unknown" (the simple configuration). */
const LANGUAGES: [tag: string | null, pool: string, tenths: number][] = [
  ['en', 'en', 4],
  ['pt-BR', 'pt', 2],
  ['es', 'es', 1],
  ['de', 'de', 1],
  ['fr', 'fr', 1],
  [null, 'en', 1],
];

const SENTENCES_PER_LANGUAGE = 2000;
const SENTENCES_PER_DOCUMENT = 25;

export async function createSentencePool(client: Client): Promise<void> {
  await client.query(`CREATE UNLOGGED TABLE bench_vocabulary (pool text, n int, word text)`);
  for (const [pool, words] of Object.entries(VOCABULARY)) {
    await client.query(
      `INSERT INTO bench_vocabulary SELECT $1, n::int, word FROM unnest(regexp_split_to_array(trim($2), '\\s+')) WITH ORDINALITY AS w(word, n)`,
      [pool, words],
    );
  }
  // 12–20 words: 70 % from the vocabulary (skewed to its first, most frequent words), 30 % from
  // a tail of 20,000 made-up words (kx1, kx2, …), also skewed: kx100 is in about 5 % of the
  // documents, kx1000 in about 2 %, kx10000 in about 0.5 %; sentence-cased, with a full stop.
  // Random picks are drawn in a LATERAL first and then joined: a volatile random() inside a
  // join condition would be drawn again for every candidate row.
  await client.query(`
    CREATE UNLOGGED TABLE bench_sentences AS
    SELECT v.pool, s.n, upper(left(b.body, 1)) || substr(b.body, 2) || '.' AS sentence
    FROM (SELECT pool, max(n) AS size FROM bench_vocabulary GROUP BY pool) v
    CROSS JOIN generate_series(1, ${SENTENCES_PER_LANGUAGE}) AS s(n)
    CROSS JOIN LATERAL (
      SELECT string_agg(COALESCE(word.word, 'kx' || pick.tail), ' ' ORDER BY w.i) AS body
      FROM generate_series(1, 12 + (s.n % 9)) AS w(i)
      CROSS JOIN LATERAL (
        SELECT random() < 0.7 AS common, 1 + floor(power(random(), 2.5) * v.size)::int AS k,
               1 + floor(power(random(), 2) * 20000)::int AS tail
        WHERE w.i > 0 * s.n) pick
      LEFT JOIN bench_vocabulary word ON pick.common AND word.pool = v.pool AND word.n = pick.k) b`);
  await client.query(`
    UPDATE bench_sentences SET sentence = replace(sentence, '.', ' for the quarterly budget review.')
    WHERE pool = 'en' AND n % 400 = 0`);
  await client.query(`CREATE INDEX ON bench_sentences (pool, n)`);
  await client.query(`ANALYZE bench_sentences`);
}

/** Jobs `from`..`to`, each with one transcription and one analysis result, in one statement. */
export async function seedSearchBatch(client: Client, from: number, to: number): Promise<void> {
  const languageCase = (column: string) => {
    let tenth = 0;
    const branches = LANGUAGES.map(([tag, pool, tenths]) => {
      tenth += tenths;
      return `WHEN i % 10 < ${tenth} THEN ${column === 'tag' ? (tag === null ? 'NULL' : `'${tag}'`) : `'${pool}'`}`;
    });
    return `CASE ${branches.join(' ')} END`;
  };
  await client.query(
    `WITH s AS (
       SELECT i, timestamptz '2025-06-01 00:00:00Z' + i * interval '30 s' AS t,
              ${languageCase('tag')} AS language, ${languageCase('pool')} AS pool
       FROM generate_series($1::int, $2::int) AS i
     ), j AS (
       INSERT INTO jobs (job_type, status, media_url, parameters, created_at, updated_at)
       SELECT (ARRAY['video', 'audio', 'document'])[1 + i % 3], 'completed', 'https://cdn.example.com/media/' || i || '.mp4',
              jsonb_build_object('seed', i), t, t
       FROM s RETURNING id, created_at, (parameters->>'seed')::int AS i
     ), texts AS (
       SELECT j.id, j.created_at, j.i, s.language,
              (SELECT string_agg(b.sentence, ' ' ORDER BY g.k) FROM generate_series(1, ${SENTENCES_PER_DOCUMENT}) AS g(k)
               CROSS JOIN LATERAL (SELECT 1 + floor(random() * ${SENTENCES_PER_LANGUAGE})::int AS n WHERE g.k > 0 * j.i) pick
               JOIN bench_sentences b ON b.pool = s.pool AND b.n = pick.n)
              || CASE WHEN j.i % 1000 = 7 THEN ' The zeppelin landed.' ELSE '' END AS text
       FROM j JOIN s USING (i)
     ), transcripts AS (
       INSERT INTO transcriptions (job_id, provider, text_content, language, confidence_score, word_timestamps, created_at)
       SELECT id, (ARRAY['deepgram', 'groq', 'openai', 'gemini'])[1 + i % 4], text, language, 0.93,
              CASE WHEN i % 10 = 3 THEN (
                SELECT jsonb_agg(jsonb_build_object('word', w, 'start', round((n - 1) * 0.4, 3), 'end', round((n - 1) * 0.4 + 0.3, 3)) ORDER BY n)
                FROM regexp_split_to_table(text, ' ') WITH ORDINALITY AS x(w, n)) END,
              created_at + interval '3 s'
       FROM texts
     )
     INSERT INTO analysis_results (job_id, analysis_type, summary, detailed_analysis, model_used, input_tokens, output_tokens, created_at)
     SELECT id, (ARRAY['video', 'audio', 'document'])[1 + i % 3],
            (SELECT string_agg(b.sentence, ' ' ORDER BY g.k) FROM generate_series(1, 3) AS g(k)
             CROSS JOIN LATERAL (SELECT 1 + floor(random() * ${SENTENCES_PER_LANGUAGE})::int AS n WHERE g.k > 0 * i) pick
             JOIN bench_sentences b ON b.pool = 'en' AND b.n = pick.n),
            jsonb_build_object('topics', jsonb_build_array('kx' || (i % 20000), 'growth', 'customer'),
                               'notes', (SELECT sentence FROM bench_sentences b WHERE b.pool = 'en' AND b.n = 1 + (i * 7) % ${SENTENCES_PER_LANGUAGE})),
            'gpt-4o', 1200, 300, created_at + interval '5 s'
     FROM texts`,
    [from, to],
  );
}

export async function dropSentencePool(client: Client): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS bench_sentences, bench_vocabulary`);
}
