import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES } from './codes.js';
import type { FixRejectReason } from './fix.js';
import { FIX_REJECT_REASONS } from './fix.js';
import type { IngestErrorCode, IngestFixRefusal, IngestOutcome } from './ingest.js';
import { INGEST_ERROR_CODES, INGEST_FIX_REFUSALS, ingestOutcome } from './ingest.js';

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

  it.each<[number, string | undefined, IngestOutcome]>([
    [200, undefined, 'done'],
    [422, undefined, 'done'],
    [400, 'not_json', 'done'],
    [415, 'bad_content_type', 'done'],
    [403, 'forbidden', 'done'],
    [403, 'token_wrong_role', 'reauth'],
    [401, 'token_expired', 'reauth'],
    [413, 'batch_too_long', 'split'],
    [413, 'too_large', 'split'],
    [429, 'rate_limited', 'retry'],
    [503, 'unavailable', 'retry'],
    [500, 'internal', 'retry'],
    [404, undefined, 'retry'],
    [0, undefined, 'retry'],
  ])('status %i (%s) → %s', (status, code, outcome) => {
    expect(ingestOutcome(status, code)).toBe(outcome);
  });
});
