import { BadRequestException } from '@nestjs/common';
import { SEARCH_KINDS, type SearchKind } from './dto/search-query.dto';

/** A position in the ranked list: the last hit's rank (as PostgreSQL wrote the real), kind and id. */
export interface SearchCursor {
  rank: string;
  kind: SearchKind;
  id: string;
}

const RANK = /^(0|[1-9]\d*)(\.\d+)?(e[-+]?\d+)?$/;

/** A rank PostgreSQL can read back as a real (no overflow or underflow error). */
function isRank(text: string | undefined): text is string {
  if (text === undefined || text.length > 32 || !RANK.test(text)) return false;
  const value = Number(text);
  return value === 0 || (value >= 1e-30 && value <= 1e30);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(`${cursor.rank}|${cursor.kind}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Decodes an opaque search cursor; anything that is not one of ours is a 400 naming `cursor`. */
export function decodeSearchCursor(token: string): SearchCursor {
  const [rank, kind, id, ...rest] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !isRank(rank) || !SEARCH_KINDS.includes(kind as SearchKind) || !UUID.test(id ?? '')) {
    throw new BadRequestException(['cursor is not a valid search cursor (use next_cursor from a previous page)']);
  }
  return { rank, kind: kind as SearchKind, id };
}
