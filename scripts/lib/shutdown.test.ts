import { describe, expect, it } from 'vitest';
import { forcesExit, runCleanups, type CleanupStep } from './shutdown.js';

describe('runCleanups', () => {
  it('runs every step in order, past one that fails and one that never ends', async () => {
    const ran: string[] = [];
    const steps: CleanupStep[] = [
      { name: 'members', run: () => void ran.push('members') },
      {
        name: 'relay',
        run: () => {
          ran.push('relay');
          return new Promise<void>(() => undefined);
        },
      },
      {
        name: 'station',
        run: async () => {
          ran.push('station');
          throw new Error('disk gone');
        },
      },
      { name: 'redis', run: async () => void ran.push('redis') },
    ];
    const outcomes = await runCleanups(steps, 50);
    expect(ran).toEqual(['members', 'relay', 'station', 'redis']);
    expect(outcomes.map((o) => [o.name, o.result])).toEqual([
      ['members', 'done'],
      ['relay', 'timed out'],
      ['station', 'failed'],
      ['redis', 'done'],
    ]);
    expect((outcomes[2]?.error as Error).message).toBe('disk gone');
  });

  it('a step that throws at once is a failure, not a crash', async () => {
    const outcomes = await runCleanups(
      [
        {
          name: 'host',
          run: () => {
            throw new Error('already closed');
          },
        },
      ],
      50,
    );
    expect(outcomes).toMatchObject([{ name: 'host', result: 'failed' }]);
  });
});

describe('forcesExit', () => {
  it.each([
    [0, false, 'the same Ctrl-C, forwarded by npm'],
    [300, false, 'still the same Ctrl-C'],
    [999, false, 'the end of the window'],
    [1000, true, 'a second Ctrl-C'],
    [60_000, true, 'a second Ctrl-C a minute later'],
  ])('%i ms after the first signal: %s (%s)', (afterMs, expected) => {
    expect(forcesExit(10_000, 10_000 + afterMs)).toBe(expected);
  });
});
