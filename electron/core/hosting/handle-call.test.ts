import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { stationApiOver } from '../../../contract/bridge.js';
import { StationError } from '../../../contract/errors.js';
import { handleStationCall } from './handle-call.js';

const logger = pino({ level: 'silent' });

/** A station whose every call answers by what the test asks: a result, or a thrown error. */
function stationAnswering(answer: (method: string, args: unknown[]) => unknown) {
  return stationApiOver(
    async (method, args) => answer(method, args as unknown[]) as never,
    () => () => undefined,
  );
}

describe('handleStationCall', () => {
  const station = stationAnswering((method, args) => {
    if (args[0] === 'boom') throw new Error('database is locked');
    if (args[0] === 'nobody') throw new StationError('not_watched', 'nobody is not watched');
    return { method, args };
  });

  it.each([
    ['listWatched', [], { ok: true, result: { method: 'listWatched', args: [] } }],
    ['unwatch', ['42'], { ok: true, result: { method: 'unwatch', args: ['42'] } }],
    ['constructor', [], { ok: false, code: 'not_found' }],
    ['toString', [], { ok: false, code: 'not_found' }],
    ['unwatch', [], { ok: false, code: 'bad_request' }],
    ['unwatch', [42], { ok: false, code: 'bad_request' }],
    ['unwatch', 'not an array', { ok: false, code: 'bad_request' }],
    ['unwatch', ['nobody'], { ok: false, code: 'not_watched' }],
    ['unwatch', ['boom'], { ok: false, code: 'internal' }],
  ])('%s(%j)', async (method, args, expected) => {
    const reply = await handleStationCall(station, method, args, logger);
    if (expected.ok) expect(reply).toEqual(expected);
    else expect(reply.ok ? undefined : reply.error.code).toBe((expected as { code: string }).code);
  });

  it('lets the host decorate a result', async () => {
    const reply = await handleStationCall(station, 'listWatched', [], logger, (method, result) => ({
      method,
      wrapped: result,
    }));
    expect(reply).toEqual({
      ok: true,
      result: { method: 'listWatched', wrapped: { method: 'listWatched', args: [] } },
    });
  });
});
