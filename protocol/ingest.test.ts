import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES } from './codes.js';
import type { IngestErrorCode } from './ingest.js';
import { INGEST_ERROR_CODES } from './ingest.js';

describe('protocol/ingest', () => {
  it('answers every auth refusal with a code of its own list', () => {
    const asIngest = (c: (typeof AUTH_ERROR_CODES)[number]): IngestErrorCode => c;
    for (const code of AUTH_ERROR_CODES) expect(INGEST_ERROR_CODES).toContain(asIngest(code));
  });
});
