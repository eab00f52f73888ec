import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES } from './codes.js';
import type { FixRejectReason } from './fix.js';
import { FIX_REJECT_REASONS } from './fix.js';
import type { IngestErrorCode, IngestFixRefusal } from './ingest.js';
import { INGEST_ERROR_CODES, INGEST_FIX_REFUSALS } from './ingest.js';

describe('protocol/ingest', () => {
  it('names every reason protocol/fix.ts refuses a fix for', () => {
    // Compile-time half: a FixRejectReason must be assignable to IngestFixRefusal.
    const asRefusal = (r: FixRejectReason): IngestFixRefusal => r;
    expect([...INGEST_FIX_REFUSALS].sort()).toEqual(FIX_REJECT_REASONS.map(asRefusal).sort());
  });

  it('answers every auth refusal with a code of its own list', () => {
    const asIngest = (c: (typeof AUTH_ERROR_CODES)[number]): IngestErrorCode => c;
    for (const code of AUTH_ERROR_CODES) expect(INGEST_ERROR_CODES).toContain(asIngest(code));
  });
});
