import { describe, expect, it } from 'vitest';
import { type Fix, MAX_RAW_FIX_BYTES, type ParseResult, parseRawFix, parseRawFixJson } from './fix.js';
import { scanRawFix } from './raw-fix-scan.js';

const NOW = 1_764_000_000_000;

/** What parseRawFix was before the fast path: the size check, then JSON.parse and normalizeRawFix. */
function reference(message: string): ParseResult<Fix> {
  if (Buffer.byteLength(message) > MAX_RAW_FIX_BYTES) {
    return {
      ok: false,
      reason: 'too_large',
      message: `a fix message may be at most ${MAX_RAW_FIX_BYTES} bytes`,
    };
  }
  return parseRawFixJson(message, NOW);
}

/** Same outcome, same reason and text, or the same fix: same keys in the same order, values equal by Object.is. */
function expectSame(message: string): void {
  const fast = parseRawFix(message, NOW);
  const slow = reference(message);
  if (!fast.ok || !slow.ok) {
    expect(fast, message).toStrictEqual(slow);
    return;
  }
  expect(Object.keys(fast.value), message).toStrictEqual(Object.keys(slow.value));
  for (const key of Object.keys(slow.value) as (keyof Fix)[]) {
    expect(Object.is(fast.value[key], slow.value[key]), `${message}: ${key}`).toBe(true);
  }
}

const PHP = '{"uid":42,"longitude":"113.324520","latitude":"23.099994"}';

describe('scanRawFix reads the usual shapes and declines the rest; parseRawFix agrees with the JSON path', () => {
  it.each<[string, string, boolean]>([
    // Shapes the scan reads (true: no JSON.parse).
    ['PHP input() strings', PHP, true],
    [
      'the bench publisher',
      '{"uid":7,"longitude":"113.007000","latitude":"23.004560","ts":1763999999000}',
      true,
    ],
    ['numbers', '{"uid":42,"longitude":113.32452,"latitude":23.099994}', true],
    ['string uid', '{"uid":"m-7.a:b_C","longitude":116.4,"latitude":39.9}', true],
    ['uid 0', '{"uid":0,"longitude":1,"latitude":1}', true],
    ['15-digit uid', '{"uid":123456789012345,"longitude":1,"latitude":1}', true],
    ['64-character uid', `{"uid":"${'a'.repeat(64)}","longitude":1,"latitude":1}`, true],
    ['lon/lat aliases', '{"uid":1,"lon":1.5,"lat":-2.5}', true],
    ['key order', '{"latitude":"23.1","ts":1763999999000,"longitude":"113.3","uid":"9"}', true],
    ['boundaries', '{"uid":3,"longitude":-180,"latitude":90}', true],
    ['boundaries as strings', '{"uid":3,"longitude":"180","latitude":"-90.0"}', true],
    ['-0', '{"uid":3,"longitude":-0,"latitude":"-0.0"}', true],
    ['string forms isDecimalLiteral takes', '{"uid":3,"longitude":"+7","latitude":".5"}', true],
    ['"5." and leading zeros', '{"uid":3,"longitude":"5.","latitude":"007.25"}', true],
    ['JSON exponent', '{"uid":3,"longitude":1.5e2,"latitude":-25E-1}', true],
    ['many digits', '{"uid":3,"longitude":113.32452012345678901,"latitude":"23.0999940000000000001"}', true],
    ['tiny fraction', '{"uid":3,"longitude":0.0000000000000001,"latitude":"-0.00000000000000000123"}', true],
    [
      'every optional field',
      '{"uid":42,"longitude":"113.3","latitude":"23.1","speed":"1.5","accuracy":65,"altitude":0,' +
        '"verticalAccuracy":0,"horizontalAccuracy":65,"direction":270,"ts":1763999995000,"crs":"wgs84",' +
        '"cid":"c-1","errMsg":"onLocationChange:ok"}',
      true,
    ],
    ['crs in capitals', '{"uid":1,"longitude":1,"latitude":1,"crs":"BD09"}', true],
    [
      'PHP blanks',
      '{"uid":1,"longitude":1,"latitude":1,"speed":"","ts":"","crs":"","cid":"","heading":""}',
      true,
    ],
    ['nulls', '{"uid":1,"longitude":1,"latitude":1,"speed":null,"ts":null,"crs":null,"cid":null}', true],
    ['ts as a string', '{"uid":1,"longitude":1,"latitude":1,"ts":"1763999999000"}', true],
    ['ts on the future bound', `{"uid":1,"longitude":1,"latitude":1,"ts":${NOW + 86_400_000}}`, true],
    ['heading 359.9', '{"uid":1,"longitude":1,"latitude":1,"heading":"359.9"}', true],
    [
      'unknown fields of every primitive kind',
      '{"uid":1,"x":true,"y":false,"z":null,"n":-1.5e3,"s":"é \u2028 ok","longitude":1,"latitude":1}',
      true,
    ],
    ['a non-ASCII unknown key', '{"uid":1,"名":"值","longitude":1,"latitude":1}', true],
    ['a duplicate unknown key', '{"uid":1,"x":1,"x":2,"longitude":1,"latitude":1}', true],

    // Declined: the JSON path decides, with the same result.
    ['not JSON', 'hello {', false],
    ['truncated', '{"uid":1,"longitude":1,"latitude":1', false],
    ['trailing garbage', '{"uid":1,"longitude":1,"latitude":1}}', false],
    ['an array', '[1,2]', false],
    ['a number', '42', false],
    ['null', 'null', false],
    ['empty object', '{}', false],
    ['empty string', '', false],
    ['whitespace between tokens', '{"uid": 1, "longitude": 1, "latitude": 1}', false],
    ['leading whitespace', ' {"uid":1,"longitude":1,"latitude":1}', false],
    ['pretty-printed', JSON.stringify({ uid: 1, longitude: 1, latitude: 1 }, null, 2), false],
    ['no uid', '{"longitude":1,"latitude":1}', false],
    ['empty uid', '{"uid":"","longitude":1,"latitude":1}', false],
    ['null uid', '{"uid":null,"longitude":1,"latitude":1}', false],
    ['object uid', '{"uid":{"a":1},"longitude":1,"latitude":1}', false],
    ['array uid', '{"uid":[1],"longitude":1,"latitude":1}', false],
    ['boolean uid', '{"uid":true,"longitude":1,"latitude":1}', false],
    ['negative uid', '{"uid":-1,"longitude":1,"latitude":1}', false],
    ['uid -0', '{"uid":-0,"longitude":1,"latitude":1}', false],
    ['fractional uid', '{"uid":1.5,"longitude":1,"latitude":1}', false],
    ['uid 1.0', '{"uid":1.0,"longitude":1,"latitude":1}', false],
    ['uid 1e3', '{"uid":1e3,"longitude":1,"latitude":1}', false],
    ['16-digit uid', '{"uid":1234567890123456,"longitude":1,"latitude":1}', false],
    ['unsafe uid', '{"uid":12345678901234567890,"longitude":1,"latitude":1}', false],
    ['uid with spaces', '{"uid":"a b","longitude":1,"latitude":1}', false],
    ['65-character uid', `{"uid":"${'a'.repeat(65)}","longitude":1,"latitude":1}`, false],
    ['uid with an escape', '{"uid":"\\u0041","longitude":1,"latitude":1}', false],
    ['leading zero number', '{"uid":01,"longitude":1,"latitude":1}', false],
    ['JSON number "1."', '{"uid":1,"longitude":1.,"latitude":1}', false],
    ['JSON number ".5"', '{"uid":1,"longitude":.5,"latitude":1}', false],
    ['JSON number "+1"', '{"uid":1,"longitude":+1,"latitude":1}', false],
    ['JSON number "-"', '{"uid":1,"longitude":-,"latitude":1}', false],
    ['exponent without digits', '{"uid":1,"longitude":1e,"latitude":1}', false],
    ['PHP empty longitude', '{"uid":1,"longitude":"","latitude":"23"}', false],
    ['blank longitude', '{"uid":1,"longitude":"  ","latitude":"23"}', false],
    // Fields the JSON path drops and reports for counting: declined here.
    ['unknown heading -1', '{"uid":1,"longitude":1,"latitude":1,"heading":-1}', false],
    ['heading 360', '{"uid":1,"longitude":1,"latitude":1,"heading":"360"}', false],
    ['unknown speed -1', '{"uid":1,"longitude":1,"latitude":1,"speed":-1}', false],
    ['null latitude', '{"uid":1,"longitude":1,"latitude":null}', false],
    ['no latitude', '{"uid":1,"longitude":1}', false],
    ['non-numeric', '{"uid":1,"longitude":"abc","latitude":"23"}', false],
    ['NaN string', '{"uid":1,"longitude":"NaN","latitude":"23"}', false],
    ['Infinity string', '{"uid":1,"longitude":"Infinity","latitude":"23"}', false],
    ['-Infinity string', '{"uid":1,"longitude":"-Infinity","latitude":"23"}', false],
    ['hex string', '{"uid":1,"longitude":"0x10","latitude":"23"}', false],
    ['string exponent', '{"uid":1,"longitude":"1e1","latitude":"23"}', false],
    ['huge string exponent', '{"uid":1,"longitude":"1e999","latitude":"23"}', false],
    ['huge JSON exponent', '{"uid":1,"longitude":1e999,"latitude":23}', false],
    ['400-digit string', `{"uid":1,"longitude":"${'9'.repeat(400)}","latitude":"23"}`, false],
    ['padded string', '{"uid":1,"longitude":" 113.3","latitude":"23.1 "}', false],
    ['tab-padded string', '{"uid":1,"longitude":"\\t113.3","latitude":"23.1"}', false],
    ['no-break space', '{"uid":1,"longitude":"\u00a0113.3","latitude":"23.1"}', false],
    ['unicode-escaped digits', '{"uid":1,"longitude":"\\u0031\\u0032","latitude":"23.1"}', false],
    ['boolean coordinate', '{"uid":1,"longitude":true,"latitude":23}', false],
    ['object coordinate', '{"uid":1,"longitude":{"v":1},"latitude":23}', false],
    ['latitude 91', '{"uid":1,"longitude":1,"latitude":91}', false],
    ['latitude -90.0001', '{"uid":1,"longitude":1,"latitude":"-90.0001"}', false],
    ['longitude -180.5', '{"uid":1,"longitude":-180.5,"latitude":1}', false],
    ['longitude and lon', '{"uid":1,"longitude":1,"lon":2,"latitude":1}', false],
    ['latitude and lat', '{"uid":1,"longitude":1,"lat":2,"latitude":1}', false],
    ['null longitude beside lon', '{"uid":1,"longitude":null,"lon":2,"latitude":1}', false],
    ['duplicate uid', '{"uid":1,"uid":2,"longitude":1,"latitude":1}', false],
    ['duplicate latitude', '{"uid":1,"longitude":1,"latitude":1,"latitude":91}', false],
    ['duplicate ts', '{"uid":1,"longitude":1,"latitude":1,"ts":1,"ts":1763999999000}', false],
    ['ts in seconds', '{"uid":1,"longitude":1,"latitude":1,"ts":1764000000}', false],
    ['ts fractional', '{"uid":1,"longitude":1,"latitude":1,"ts":1763999999000.5}', false],
    ['ts far future', `{"uid":1,"longitude":1,"latitude":1,"ts":${NOW + 2 * 86_400_000}}`, false],
    ['ts boolean', '{"uid":1,"longitude":1,"latitude":1,"ts":true}', false],
    ['unknown crs', '{"uid":1,"longitude":1,"latitude":1,"crs":"mars"}', false],
    ['numeric crs', '{"uid":1,"longitude":1,"latitude":1,"crs":84}', false],
    ['speed not a number', '{"uid":1,"longitude":1,"latitude":1,"speed":"fast"}', false],
    ['speed boolean', '{"uid":1,"longitude":1,"latitude":1,"speed":false}', false],
    ['altitude object', '{"uid":1,"longitude":1,"latitude":1,"altitude":{}}', false],
    ['heading and direction', '{"uid":1,"longitude":1,"latitude":1,"heading":null,"direction":90}', false],
    ['bad direction', '{"uid":1,"longitude":1,"latitude":1,"direction":"west"}', false],
    ['bad cid', '{"uid":1,"longitude":1,"latitude":1,"cid":"a b"}', false],
    ['numeric cid', '{"uid":1,"longitude":1,"latitude":1,"cid":7}', false],
    ['nested unknown field', '{"uid":1,"longitude":1,"latitude":1,"meta":{"a":[1,2]}}', false],
    ['array unknown field', '{"uid":1,"longitude":1,"latitude":1,"tags":[]}', false],
    ['escaped key', '{"u\\u0069d":1,"longitude":1,"latitude":1}', false],
    ['escape in an unknown value', '{"uid":1,"longitude":1,"latitude":1,"note":"a\\"b"}', false],
    ['raw control character in a string', '{"uid":1,"longitude":1,"latitude":1,"note":"a\nb"}', false],
    ['bad literal', '{"uid":1,"longitude":1,"latitude":1,"x":nul}', false],
    ['literal with a tail', '{"uid":1,"longitude":1,"latitude":1,"x":nullx}', false],
    ['missing colon', '{"uid"1,"longitude":1,"latitude":1}', false],
    ['trailing comma', '{"uid":1,"longitude":1,"latitude":1,}', false],
    ['single quotes', "{'uid':1,'longitude':1,'latitude':1}", false],
    // Readable by the scan, but parseRawFix refuses them by size before either path.
    ['oversized', `{"uid":1,"longitude":1,"latitude":1,"pad":"${'x'.repeat(MAX_RAW_FIX_BYTES)}"}`, true],
    ['oversized in UTF-8 only', `{"uid":1,"longitude":1,"latitude":1,"pad":"${'é'.repeat(2100)}"}`, true],
  ])('%s', (_name, message, scanned) => {
    expect(scanRawFix(message, NOW) !== undefined).toBe(scanned);
    expectSame(message);
  });

  it('reads Buffers with the JSON path, to the same result', () => {
    const r = parseRawFix(Buffer.from(PHP), NOW);
    expect(r).toStrictEqual(reference(PHP));
    expect(r.ok).toBe(true);
  });
});

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scanRawFix on generated messages', () => {
  const random = prng(20261127);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const decimal = () =>
    `${pick(['', '', '-', '+'])}${digits(Math.floor(random() * 4))}${pick(['', '.', '.'])}${digits(Math.floor(random() * 20))}`;
  const jsonNumber = () =>
    pick([String((random() - 0.5) * 400), String(Math.floor(random() * 1e6)), decimal()]);
  const exponent = () =>
    `${pick(['1', '-2.5', '9'])}${pick(['e', 'E'])}${pick(['', '+', '-'])}${digits(Math.floor(random() * 4))}`;
  const values = (): string =>
    pick([
      () => jsonNumber(),
      () => `"${jsonNumber()}"`,
      () => `"${decimal()}"`,
      () => exponent(),
      () => `"${exponent()}"`,
      () => `"${pick(['', ' ', '\\t'])}${decimal()}${pick(['', ' '])}"`,
      () => String(NOW - Math.floor(random() * 1e6)),
      () => `"${NOW - Math.floor(random() * 1e6)}"`,
      () => String(NOW + Math.floor(random() * 2e8)),
      () => pick(['null', 'true', 'false', '""', '"NaN"', '"Infinity"', '-0', '0', '"-0"', '1e999']),
      () => pick(['"gcj02"', '"WGS84"', '"bd09"', '"mars"', '"c-1"', '"a b"', '"\\u0041"', '"é"']),
      () =>
        `"${'abcdXYZ019_.:-'
          .split('')
          .filter(() => random() < 0.5)
          .join('')}"`,
      () => String(Math.floor(random() * 10 ** Math.floor(random() * 20))),
      () => pick(['{}', '[]', '{"a":1}', '[1,"x"]']),
    ])();
  const KEYS = [
    'uid',
    'longitude',
    'latitude',
    'lon',
    'lat',
    'ts',
    'crs',
    'speed',
    'accuracy',
    'altitude',
    'verticalAccuracy',
    'horizontalAccuracy',
    'heading',
    'direction',
    'cid',
    'errMsg',
    'x',
  ];

  /** A message built from parts, so it can be invalid JSON too (leading zeros, exponents, stray whitespace). */
  function message(): string {
    const fields: string[] = [];
    const base = random() < 0.7;
    if (base) {
      fields.push(`"uid":${pick([String(Math.floor(random() * 1e6)), '"m-1"', values()])}`);
      fields.push(
        `"${pick(['longitude', 'lon'])}":${pick([`"${(random() * 360 - 180).toFixed(6)}"`, values()])}`,
      );
      fields.push(
        `"${pick(['latitude', 'lat'])}":${pick([`"${(random() * 180 - 90).toFixed(6)}"`, values()])}`,
      );
    }
    const extra = Math.floor(random() * (base ? 4 : 7));
    for (let i = 0; i < extra; i++) fields.push(`"${pick(KEYS)}":${values()}`);
    for (let i = fields.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [fields[i], fields[j]] = [fields[j] as string, fields[i] as string];
    }
    let text = `{${fields.join(pick([',', ',', ',', ', ']))}}`;
    if (random() < 0.1) {
      // A random edit: a character dropped, doubled or replaced.
      const at = Math.floor(random() * text.length);
      const ch = pick(['"', ',', ':', '{', '}', ' ', '\\', '0', 'e', '-']);
      text = pick([
        text.slice(0, at) + text.slice(at + 1),
        text.slice(0, at) + (text[at] ?? '') + text.slice(at),
        text.slice(0, at) + ch + text.slice(at + 1),
      ]);
    }
    return text;
  }

  it('both paths agree on 50,000 messages, and the scan reads a good share of them', () => {
    let scanned = 0;
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      const text = message();
      if (scanRawFix(text, NOW) !== undefined) scanned++;
      if (reference(text).ok) accepted++;
      expectSame(text);
    }
    // The generator must reach the fast path often (and the JSON path's acceptances too), or agreement is empty.
    expect(scanned).toBeGreaterThan(2000);
    expect(accepted).toBeGreaterThan(scanned);
  });

  it('agrees on every number form between -200 and 200 with up to 17 fraction digits', () => {
    for (let i = 0; i < 20_000; i++) {
      const whole = Math.floor(random() * 400) - 200;
      const text = `${whole}.${digits(1 + Math.floor(random() * 17))}`;
      expectSame(`{"uid":1,"longitude":${text},"latitude":"${text}"}`);
      expectSame(`{"uid":1,"longitude":"${(whole / 2).toFixed(6)}","latitude":${text}}`);
    }
  });
});
