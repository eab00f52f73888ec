import { describe, expect, it } from 'vitest';
import { INGEST_MAX_BATCH, INGEST_PATH } from '../../protocol/ingest';
import { backoffDelay } from '../lib/backoff';
import { DEFAULT_BACKOFF } from '../lib/uploader';
import { INGEST_PATH as MINIPROGRAM_INGEST_PATH, MAX_BATCH, ingestUrl } from '../lib/config';
import type { Outcome } from '../lib/outcome';
import { outcomeOf } from '../lib/outcome';

describe('outcomeOf', () => {
  it.each<[number, string | undefined, Outcome]>([
    [200, undefined, 'done'],
    [422, undefined, 'done'],
    [400, 'not_json', 'done'],
    [415, 'bad_content_type', 'done'],
    [403, 'forbidden', 'done'],
    [403, 'token_wrong_role', 'reauth'],
    [401, 'token_expired', 'reauth'],
    [401, 'token_missing', 'reauth'],
    [413, 'batch_too_long', 'split'],
    [413, 'too_large', 'split'],
    [429, 'rate_limited', 'retry'],
    [503, 'unavailable', 'retry'],
    [500, 'internal', 'retry'],
    [502, undefined, 'retry'],
    [404, undefined, 'retry'],
    [0, 'request:fail', 'retry'],
  ])('status %i (%s) → %s', (status, code, outcome) => {
    expect(outcomeOf(status, code)).toBe(outcome);
  });
});

describe('config', () => {
  it('posts to the path and within the batch limit of protocol/ingest.ts', () => {
    expect(MINIPROGRAM_INGEST_PATH).toBe(INGEST_PATH);
    expect(MAX_BATCH).toBeLessThanOrEqual(INGEST_MAX_BATCH);
  });

  it.each([
    ['https://relay.example.com', 'https://relay.example.com/api/location/move'],
    ['https://relay.example.com/', 'https://relay.example.com/api/location/move'],
    ['https://example.com/lodestar//', 'https://example.com/lodestar/api/location/move'],
  ])('%s → %s', (apiBase, url) => {
    expect(ingestUrl({ apiBase, token: 't' })).toBe(url);
  });
});

describe('backoffDelay with the mini-program’s defaults', () => {
  it.each([
    [1, 0.999, 999],
    [2, 0.999, 1998],
    [3, 0.5, 2000],
    [10, 0.999, 59_940],
    [50, 0.999, 59_940],
    [3, 0, 0],
  ])('attempt %i with random %f → %i ms', (attempt, random, delay) => {
    expect(backoffDelay(attempt - 1, DEFAULT_BACKOFF, () => random)).toBe(delay);
  });
});
