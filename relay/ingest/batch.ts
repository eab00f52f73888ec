/**
 * The ingest's decisions about a decoded body, as pure functions: which shape it is, which fixes are valid, and
 * whether it tries to write under another member.
 */
import type { Fix, FixRejectReason } from '../../protocol/fix.js';
import { normalizeRawFix } from '../../protocol/fix.js';
import type { IngestErrorCode, IngestRefusedFix } from '../../protocol/ingest.js';

export type BatchResult =
  { ok: true; items: unknown[] } | { ok: false; status: number; code: IngestErrorCode; message: string };

/** One fix, `{"fixes": [...]}`, or an array: always a list of raw items. */
export function batchItems(body: unknown, maxBatch: number): BatchResult {
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'object' && body !== null && 'fixes' in body) {
    const fixes = (body as { fixes: unknown }).fixes;
    if (!Array.isArray(fixes))
      return { ok: false, status: 400, code: 'bad_body', message: '`fixes` must be an array' };
    items = fixes;
  } else if (typeof body === 'object' && body !== null) items = [body];
  else
    return {
      ok: false,
      status: 400,
      code: 'bad_body',
      message: 'the body must be a fix object, {"fixes": [...]} or an array of fixes',
    };
  if (items.length === 0) return { ok: false, status: 400, code: 'bad_body', message: 'the batch is empty' };
  if (items.length > maxBatch) {
    return {
      ok: false,
      status: 413,
      code: 'batch_too_long',
      message: `a batch may hold at most ${maxBatch} fixes`,
    };
  }
  return { ok: true, items };
}

/** Whether any item names a uid other than the token's. Compared after the uid normalization of protocol/. */
export function namesAnotherMember(items: readonly unknown[], tokenUid: string): boolean {
  return items.some((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
    const uid = (item as Record<string, unknown>).uid;
    if (uid === undefined || uid === null || uid === '') return false;
    return String(uid) !== tokenUid;
  });
}

export interface ValidatedBatch {
  /** Valid fixes in batch order, each with its index in the batch. */
  fixes: { index: number; fix: Fix }[];
  refused: IngestRefusedFix[];
}

/**
 * Validate every item with protocol/'s `normalizeRawFix`. A fix without uid takes the token's: the customer's
 * app posts wx.onLocationChange results as they are, without uid. Call `namesAnotherMember` first.
 */
export function validateItems(
  items: readonly unknown[],
  tokenUid: string,
  receivedAt: number,
): ValidatedBatch {
  const result: ValidatedBatch = { fixes: [], refused: [] };
  items.forEach((item, index) => {
    const withUid =
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? { ...(item as Record<string, unknown>), uid: tokenUid }
        : item;
    const parsed = normalizeRawFix(withUid, receivedAt);
    if (parsed.ok) result.fixes.push({ index, fix: parsed.value });
    else
      result.refused.push({
        index,
        reason: parsed.reason satisfies FixRejectReason,
        message: parsed.message,
      });
  });
  return result;
}
