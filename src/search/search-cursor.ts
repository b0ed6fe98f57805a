import { BadRequestException } from '@nestjs/common';
import { isCursorInstant, type Cursor } from '../common/pagination';
import type { SearchKind } from './dto/search-query.dto';

/**
 * The hits a search ranks, fixed by its first page so that later pages rank the same set:
 * those with (created_at, id) from `low` to `high`, both included; without `low`, every hit
 * up to `high` (the first page found fewer than SEARCH_CANDIDATES). `capped`: older hits than
 * `low` exist, or may (the first page did not look further back than it needed).
 */
export interface SearchWindow {
  low?: Cursor;
  high: Cursor;
  capped?: boolean;
}

/** A position in the ranked list: the last hit's rank (as PostgreSQL wrote the real), kind and id, and the window. */
export interface SearchCursor {
  rank: string;
  kind: SearchKind;
  id: string;
  window: SearchWindow;
}

// Binary, so that a cursor with both bounds stays under the 200 characters `cursor` accepts:
// a flags byte (kind, whether `low` is there, capped), the rank as a float32 (a PostgreSQL
// real is one), the id, then each bound as microseconds since the epoch (int64) and id.
const KINDS: SearchKind[] = ['transcription', 'analysis_result'];
const HAS_LOW = 2;
const CAPPED = 4;
const KEY_BYTES = 8 + 16;
const HEAD_BYTES = 1 + 4 + 16;

const uuidBytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');
const uuidText = (bytes: Buffer) =>
  bytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** 'YYYY-MM-DDTHH:MM:SS.ffffffZ' → microseconds since the epoch. */
function microseconds(instant: string): bigint {
  return BigInt(Date.parse(`${instant.slice(0, 23)}Z`)) * 1000n + BigInt(instant.slice(23, 26));
}

/** Microseconds since the epoch → 'YYYY-MM-DDTHH:MM:SS.ffffffZ', undefined outside the cursor's years. */
function instant(us: bigint): string | undefined {
  let ms = us / 1000n;
  let rest = us % 1000n;
  if (rest < 0n) [ms, rest] = [ms - 1n, rest + 1000n];
  if (ms < -62_135_596_800_000n || ms > 253_402_300_799_999n) return undefined; // years 1 to 9999
  const text = `${new Date(Number(ms)).toISOString().slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
  return isCursorInstant(text) ? text : undefined;
}

function writeKey(key: Cursor): Buffer {
  const bytes = Buffer.alloc(KEY_BYTES);
  bytes.writeBigInt64BE(microseconds(key.createdAt));
  uuidBytes(key.id).copy(bytes, 8);
  return bytes;
}

function readKey(bytes: Buffer, offset: number): Cursor | undefined {
  const createdAt = instant(bytes.readBigInt64BE(offset));
  return createdAt ? { createdAt, id: uuidText(bytes.subarray(offset + 8, offset + KEY_BYTES)) } : undefined;
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  const { low, high, capped } = cursor.window;
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt8(KINDS.indexOf(cursor.kind) | (low ? HAS_LOW : 0) | (low && capped ? CAPPED : 0));
  head.writeFloatBE(Number(cursor.rank), 1);
  uuidBytes(cursor.id).copy(head, 5);
  return Buffer.concat([head, writeKey(high), ...(low ? [writeKey(low)] : [])]).toString('base64url');
}

/** Decodes an opaque search cursor; anything that is not one of ours is a 400 naming `cursor`. */
export function decodeSearchCursor(token: string): SearchCursor {
  const bytes = Buffer.from(token, 'base64url');
  const flags = bytes.length >= HEAD_BYTES ? bytes.readUInt8(0) : -1;
  const hasLow = (flags & HAS_LOW) !== 0;
  const capped = (flags & CAPPED) !== 0;
  const kind = KINDS[flags & ~(HAS_LOW | CAPPED)];
  const valid =
    bytes.toString('base64url') === token && kind && bytes.length === HEAD_BYTES + KEY_BYTES * (hasLow ? 2 : 1);
  const rank = valid ? bytes.readFloatBE(1) : NaN;
  const high = valid ? readKey(bytes, HEAD_BYTES) : undefined;
  const low = valid && hasLow ? readKey(bytes, HEAD_BYTES + KEY_BYTES) : undefined;
  // Ranks a real cannot hold (NaN, infinities, or denormals some platforms refuse) would be a database error.
  const realRank = rank === 0 || (rank >= 1e-30 && rank <= 1e30);
  if (!kind || !realRank || !high || (hasLow && !low) || (capped && !hasLow)) {
    throw new BadRequestException(['cursor is not a valid search cursor (use next_cursor from a previous page)']);
  }
  // A float32 printed as the double it is reads back as the same real in PostgreSQL.
  const id = uuidText(bytes.subarray(5, HEAD_BYTES));
  return { rank: String(rank), kind, id, window: low ? { low, high, capped } : { high } };
}
