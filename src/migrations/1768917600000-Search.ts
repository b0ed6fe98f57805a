import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Characters of a row that are indexed (and highlighted). A tsvector holds at most 1 MB, and
 * the contract accepts transcripts of 1 MB and more: the worst case (distinct one-letter
 * words of 4-byte letters) costs about 6.5 bytes of tsvector per character, so 100,000
 * characters stay under half of the limit whatever the text. It is also about where
 * PostgreSQL stops counting word positions (16,383), past which phrases cannot match anyway.
 */
export const SEARCH_TEXT_MAX_CHARS = 100_000;

/**
 * The text as plain text for the parser: '<' becomes \x03, so the default parser does not
 * take `<script>…</script>` for markup and drop the words inside (the API shows it as `&lt;`
 * again), and \x01–\x03 become blanks, so the marks ts_headline writes (\x01 … \x02) and
 * the stand-in for '<' can only come from the service.
 */
const plainText = (text: string) => `translate(${text}, E'<\\x01\\x02\\x03', E'\\x03   ')`;

/** BCP 47 primary language subtag → PostgreSQL text search configuration (PostgreSQL 15+). */
const CONFIG_BY_LANGUAGE: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/**
 * Full-text search: a stored `search_vector` on `transcriptions` (stemmed by the row's
 * `language`) and on `analysis_results` (summary and the strings of detailed_analysis, as
 * English), kept by BEFORE triggers so every writer (API or plain SQL) keeps it current, and
 * GIN indexes over both. Triggers rather than generated columns: TypeORM tracks generated
 * columns in a `typeorm_metadata` table of its own, which would need filling in its format.
 */
export class Search1768917600000 implements MigrationInterface {
  name = 'Search1768917600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const cases = Object.entries(CONFIG_BY_LANGUAGE)
      .map(([tag, config]) => `WHEN '${tag}' THEN '${config}'::regconfig`)
      .join(' ');
    await queryRunner.query(`
      CREATE FUNCTION text_search_config(language varchar) RETURNS regconfig
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE lower(split_part(language, '-', 1)) ${cases} ELSE 'simple'::regconfig END`);
    await queryRunner.query(`
      CREATE FUNCTION transcription_search_text(text_content text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN ${plainText(`left(text_content, ${SEARCH_TEXT_MAX_CHARS})`)}`);
    // The summary, then every string value of detailed_analysis (keys are structure, not text).
    await queryRunner.query(`
      CREATE FUNCTION analysis_search_text(summary text, detailed_analysis jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN ${plainText(`left(concat_ws(E'\\n', summary, (
        SELECT string_agg(value #>> '{}', E'\\n')
        FROM jsonb_path_query(detailed_analysis, 'strict $.** ? (@.type() == "string")') AS value)), ${SEARCH_TEXT_MAX_CHARS})`)}`);

    await queryRunner.query(`
      CREATE FUNCTION set_transcription_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := to_tsvector(text_search_config(NEW.language), transcription_search_text(NEW.text_content));
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION set_analysis_result_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := to_tsvector('english', analysis_search_text(NEW.summary, NEW.detailed_analysis));
        RETURN NEW;
      END
      $$`);

    // STORAGE MAIN keeps a vector in its row (compressed if need be) and moves the text out of
    // line first: every hit's vector is read to rank it, and a TOAST fetch per hit made ranking
    // a frequent word about 40 % slower in bench:search.
    await queryRunner.query(`ALTER TABLE transcriptions ADD COLUMN search_vector tsvector`);
    await queryRunner.query(`ALTER TABLE transcriptions ALTER COLUMN search_vector SET STORAGE MAIN`);
    await queryRunner.query(
      `UPDATE transcriptions SET search_vector = to_tsvector(text_search_config(language), transcription_search_text(text_content))`,
    );
    await queryRunner.query(`ALTER TABLE transcriptions ALTER COLUMN search_vector SET NOT NULL`);
    await queryRunner.query(`
      CREATE TRIGGER trg_transcriptions_search_vector BEFORE INSERT OR UPDATE ON transcriptions
      FOR EACH ROW EXECUTE FUNCTION set_transcription_search_vector()`);

    await queryRunner.query(`ALTER TABLE analysis_results ADD COLUMN search_vector tsvector`);
    await queryRunner.query(`ALTER TABLE analysis_results ALTER COLUMN search_vector SET STORAGE MAIN`);
    await queryRunner.query(
      `UPDATE analysis_results SET search_vector = to_tsvector('english', analysis_search_text(summary, detailed_analysis))`,
    );
    await queryRunner.query(`ALTER TABLE analysis_results ALTER COLUMN search_vector SET NOT NULL`);
    await queryRunner.query(`
      CREATE TRIGGER trg_analysis_results_search_vector BEFORE INSERT OR UPDATE ON analysis_results
      FOR EACH ROW EXECUTE FUNCTION set_analysis_result_search_vector()`);

    await queryRunner.query(`CREATE INDEX idx_transcriptions_search ON transcriptions USING gin (search_vector)`);
    await queryRunner.query(`CREATE INDEX idx_analysis_results_search ON analysis_results USING gin (search_vector)`);
    // Filters that can narrow a common query more than its words do (bitmap-ANDed with GIN).
    await queryRunner.query(`CREATE INDEX idx_transcriptions_language ON transcriptions (language)`);
    await queryRunner.query(`CREATE INDEX idx_transcriptions_created_at ON transcriptions (created_at)`);
    await queryRunner.query(`CREATE INDEX idx_analysis_results_created_at ON analysis_results (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'idx_analysis_results_created_at',
      'idx_transcriptions_created_at',
      'idx_transcriptions_language',
      'idx_analysis_results_search',
      'idx_transcriptions_search',
    ]) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
    await queryRunner.query(`DROP TRIGGER trg_analysis_results_search_vector ON analysis_results`);
    await queryRunner.query(`DROP TRIGGER trg_transcriptions_search_vector ON transcriptions`);
    await queryRunner.query(`ALTER TABLE analysis_results DROP COLUMN search_vector`);
    await queryRunner.query(`ALTER TABLE transcriptions DROP COLUMN search_vector`);
    await queryRunner.query(`DROP FUNCTION set_analysis_result_search_vector()`);
    await queryRunner.query(`DROP FUNCTION set_transcription_search_vector()`);
    await queryRunner.query(`DROP FUNCTION analysis_search_text(text, jsonb)`);
    await queryRunner.query(`DROP FUNCTION transcription_search_text(text)`);
    await queryRunner.query(`DROP FUNCTION text_search_config(varchar)`);
  }
}
