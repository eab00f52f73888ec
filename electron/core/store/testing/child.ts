/** Spawning and talking to store-child.ts from tests: a real second process on the same data folder. */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** First fix time of the `write` mode; its fixes are 1 ms apart. */
export const CRASH_T0 = 1_780_000_000_000;

const CHILD = fileURLToPath(new URL('./store-child.ts', import.meta.url));

export interface StoreChild {
  process: ChildProcessWithoutNullStreams;
  /** Every JSON line the child printed so far. */
  messages: Record<string, unknown>[];
  /** Resolves with the first message matching `predicate` (also ones already received). */
  waitFor(
    predicate: (m: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnStoreChild(mode: 'hold' | 'write', dir: string): StoreChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dir], { stdio: 'pipe' });
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    messages,
    exited,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (found) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`store child exited (${child.exitCode ?? child.signalCode}): ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`store child: timed out; stderr: ${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
