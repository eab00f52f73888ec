/**
 * Every implementation that spells a fix's fields out by hand, held to protocol/fix-fields.ts: each field of the
 * table goes through each of them (under each raw name a sender may use) and must come out with its value. A new
 * field added to the table and the Fix type fails here for every place that does not carry it yet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackStore } from '../../electron/core/store/index.js';
import type { TrackStore } from '../../electron/core/store/types.js';
import { fixSchema, parseRawFixJson, type Fix } from '../../protocol/fix.js';
import {
  FIX_FIELD_NAMES,
  FIX_FIELDS,
  type FixFieldName,
  type FixFieldSpec,
} from '../../protocol/fix-fields.js';
import { fixJson } from '../../protocol/fix-json.js';
import { scanRawFix } from '../../protocol/raw-fix-scan.js';
import { fixProblem, knownFields } from '../../protocol/fix-check.js';

const NOW = 1_790_000_100_000;
const spec = (name: FixFieldName): FixFieldSpec => FIX_FIELDS[name];
const senderFields = FIX_FIELD_NAMES.filter((name) => spec(name).setBy === 'sender');

/** A canonical fix carrying every field of the table with its sample value. */
function fullFix(): Required<Fix> {
  return Object.fromEntries(
    FIX_FIELD_NAMES.map((name) => [name, spec(name).sample]),
  ) as unknown as Required<Fix>;
}

/** A raw fix as PHP sends it: the required fields under their preferred raw names, plus `extra`. */
function rawWith(extra: Record<string, unknown>): Record<string, unknown> {
  return { uid: '42', longitude: '114.057865', latitude: '22.543096', ts: 1_790_000_000_000, ...extra };
}

const rawCases = senderFields.flatMap((name) =>
  spec(name).rawNames.map((rawName) => [name, rawName, spec(name).sample] as const),
);

describe('raw fix parsers carry every sender field under every raw name', () => {
  it.each(rawCases)('%s as "%s" through the JSON path', (name, rawName, sample) => {
    const parsed = parseRawFixJson(JSON.stringify(rawWith({ [rawName]: sample })), NOW);
    expect(parsed.ok && parsed.value[name]).toEqual(sample);
  });

  it.each(rawCases)(
    '%s as "%s" through the fast scanner (or declined to the JSON path)',
    (name, rawName, sample) => {
      const scanned = scanRawFix(JSON.stringify(rawWith({ [rawName]: sample })), NOW);
      // The scanner may decline a shape it is not sure of; what it does return must carry the field.
      if (scanned !== undefined) expect(scanned[name]).toEqual(sample);
    },
  );

  it('the fast scanner reads a fix with every sender field at once', () => {
    const all = Object.fromEntries(senderFields.map((name) => [spec(name).rawNames[0], spec(name).sample]));
    const scanned = scanRawFix(JSON.stringify(all), NOW);
    expect(scanned).toBeDefined();
    for (const name of senderFields) expect(scanned?.[name], name).toEqual(spec(name).sample);
  });

  it.each(FIX_FIELD_NAMES.filter((name) => spec(name).setBy === 'relay'))(
    '%s is never taken from a raw fix (only positioning sets it)',
    (name) => {
      const text = JSON.stringify(rawWith({ [name]: spec(name).sample }));
      const parsed = parseRawFixJson(text, NOW);
      expect(parsed.ok && parsed.value[name]).toBeUndefined();
      expect(scanRawFix(text, NOW)?.[name]).toBeUndefined();
    },
  );
});

describe('canonical fix implementations carry every field', () => {
  const fix = fullFix();

  it('fixJson writes every field, as JSON.stringify would', () => {
    expect(JSON.parse(fixJson(fix))).toEqual(JSON.parse(JSON.stringify(fix)));
  });

  it('fixSchema keeps every field', () => {
    const parsed = fixSchema.parse(fix);
    for (const name of FIX_FIELD_NAMES) expect(parsed[name], name).toEqual(fix[name]);
  });

  it("the relay's by-value check accepts it and knownFields keeps every field", () => {
    expect(fixProblem(fix, true)).toBeUndefined();
    const kept = knownFields(fix);
    for (const name of FIX_FIELD_NAMES) expect(kept[name], name).toEqual(fix[name]);
  });

  it.each(FIX_FIELD_NAMES.filter((name) => !spec(name).optional && spec(name).range !== undefined))(
    'the relay by-value check refuses %s outside its range',
    (name) => {
      const [low, high] = spec(name).range as readonly [number, number];
      expect(fixProblem({ ...fix, [name]: high + 1 }, true)).toBeDefined();
      expect(fixProblem({ ...fix, [name]: low - 1 }, true)).toBeDefined();
    },
  );
});

describe('the station store keeps every field of a stored fix', () => {
  let dir: string;
  let store: TrackStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lodestar-fields-'));
    store = openTrackStore({ dir, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes and reads back a fix with every field', async () => {
    const fix = fullFix();
    store.enqueue(fix);
    await store.flush();
    const [back] = store.latest([fix.uid]);
    for (const name of FIX_FIELD_NAMES) expect(back?.[name], name).toEqual(fix[name]);
  });
});

describe('the senders name every sender field', () => {
  const ingest = readFileSync(new URL('../../protocol/ingest.ts', import.meta.url), 'utf8');
  const ingestFix = ingest.slice(
    ingest.indexOf('export interface IngestFix'),
    ingest.indexOf('export type IngestBody'),
  );
  const php = readFileSync(new URL('../../docs/php/publish-fix.php', import.meta.url), 'utf8');

  it.each(senderFields)("the mini-program's IngestFix has %s (under a raw name)", (name) => {
    expect(spec(name).rawNames.some((raw) => new RegExp(`\\b${raw}\\??:`).test(ingestFix))).toBe(true);
  });

  it.each(senderFields)('docs/php/publish-fix.php passes %s through', (name) => {
    expect(spec(name).rawNames.some((raw) => php.includes(`'${raw}'`))).toBe(true);
  });

  it('the PHP sample publishes a fix the relay parses with every field', () => {
    let out: string;
    try {
      out = execFileSync(
        'php',
        [
          '-r',
          `require '${new URL('../../docs/php/publish-fix.php', import.meta.url).pathname}';
           class Capture { public $m; function publish($c, $m) { $this->m = $m; return 1; } }
           $r = new Capture();
           lodestar_publish_fix($r, 42, json_decode($argv[1], true));
           echo $r->m;`,
          JSON.stringify(Object.fromEntries(senderFields.map((n) => [spec(n).rawNames[0], spec(n).sample]))),
        ],
        { encoding: 'utf8' },
      );
    } catch (error) {
      console.warn(`skipped: php is not installed here (${String(error).slice(0, 80)})`);
      return;
    }
    const parsed = parseRawFixJson(out, NOW);
    expect(parsed.ok).toBe(true);
    for (const name of senderFields)
      if (parsed.ok) expect(parsed.value[name], name).toEqual(spec(name).sample);
  });
});
