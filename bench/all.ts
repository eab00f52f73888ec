/**
 * `npm run bench`: every benchmark, one after the other, each rewriting its own sections of docs/benchmarks.md
 * (`--docs`), then the report's head: when, on what machine, and which commands ran with what outcome. A benchmark
 * whose script is not in package.json (bench:renderer until the renderer has one) is listed as absent, not failed.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { BENCHMARKS_DOC, replaceHead } from './docs-section.js';

const ROOT = new URL('..', import.meta.url);
const BENCHES = ['bench:relay', 'bench:store', 'bench:renderer', 'bench:history', 'bench:micro'] as const;
const HEAD = '## This report';

interface Outcome {
  script: string;
  status: 'ok' | 'failed' | 'absent';
  seconds: number;
  code?: number | null;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
      .split('\n')[0] as string;
  } catch {
    return 'not installed';
  }
}

const scripts = (
  JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const started = new Date();
const load = loadavg().map((l) => l.toFixed(1));
const outcomes: Outcome[] = [];
for (const script of BENCHES) {
  if (!(script in scripts)) {
    process.stderr.write(`bench: ${script} is absent from package.json: skipped\n`);
    outcomes.push({ script, status: 'absent', seconds: 0 });
    continue;
  }
  process.stderr.write(`bench: npm run ${script} -- --docs\n`);
  const t0 = Date.now();
  const run = spawnSync('npm', ['run', script, '--', '--docs'], { cwd: ROOT, stdio: 'inherit' });
  outcomes.push({
    script,
    status: run.status === 0 ? 'ok' : 'failed',
    seconds: (Date.now() - t0) / 1000,
    code: run.status,
  });
}

const rows = outcomes.map(
  (o) =>
    `| \`npm run ${o.script} -- --docs\` | ${
      o.status === 'ok'
        ? `ran, ${Math.round(o.seconds)} s`
        : o.status === 'absent'
          ? 'absent: no such script in package.json'
          : `**failed** (exit ${o.code}), its sections below are from an earlier run`
    } |`,
);
const head = `${HEAD}

Written by \`npm run bench\` (\`tsx bench/all.ts\`), started ${started.toISOString().slice(0, 16)}Z: it runs each benchmark below with
\`--docs\`, and each rewrites only its own sections of this file.
Machine: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version},
${version('redis-server', ['--version']).replace(/ sha=.*/, '')}, ${version('/usr/bin/python3', ['--version'])}; load average ${load.join(' / ')} at the start.
The machine is shared with other jobs: every benchmark compares figures measured in the same run, and only those
ratios carry over to another machine.

| Command | Outcome |
|---|---|
${rows.join('\n')}
`;

// The head goes first, under the title; every other section stays where its benchmark put it.
const doc = replaceHead(readFileSync(BENCHMARKS_DOC, 'utf8'), HEAD, head);
writeFileSync(BENCHMARKS_DOC, doc);
process.stderr.write(`bench: ${outcomes.map((o) => `${o.script} ${o.status}`).join(', ')}\n`);
process.exitCode = outcomes.some((o) => o.status === 'failed') ? 1 : 0;
