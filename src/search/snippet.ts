/** Marks ts_headline puts around matched words: control characters the indexed text never holds (see search-sql.ts). */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';
/** What the indexed text holds instead of '<', so the parser never takes text for markup. */
export const LESS_THAN = '\u0003';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text: every character that could start markup or end an attribute is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/**
 * A headline as safe HTML: the text is escaped first, and only then are the sentinels turned
 * into `<mark>` tags, so nothing in the stored text can produce markup.
 */
export function headlineToHtml(headline: string): string {
  return escapeHtml(headline)
    .replaceAll(MARK_START, '<mark>')
    .replaceAll(MARK_END, '</mark>')
    .replaceAll(LESS_THAN, '&lt;');
}

/** A word of a marked word list back as text: marks removed, '<' restored. */
export function plainWord(marked: string): string {
  return marked.replaceAll(MARK_START, '').replaceAll(MARK_END, '').replaceAll(LESS_THAN, '<');
}
