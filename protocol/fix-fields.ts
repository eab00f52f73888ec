/**
 * The one list of a fix's fields: name, kind, the raw names senders may use, range and whether it is optional.
 * Every implementation that spells fields out by hand for speed (the raw scanner, the JSON writer, the relay's
 * by-value checks, the store's columns, the ingest type, the PHP sample) is held to this table by
 * test/contract/fix-fields.test.ts, so a new field fails loudly wherever it is missing. Dependency-free, so the
 * mini-program and the renderer can read it too.
 */
import type { Fix } from './fix-types.js';

export type FixFieldKind = 'uid' | 'number' | 'integer' | 'crs' | 'id';

export interface FixFieldSpec {
  kind: FixFieldKind;
  /** Absent from a canonical fix when the sender did not give it. */
  optional: boolean;
  /** Who sets it: a sender (PHP, the mini-program) or the relay's positioning (never taken from a raw fix). */
  setBy: 'sender' | 'relay';
  /** Names a raw fix may carry it under, first the preferred one (the customer's PHP sends longitude/latitude). */
  rawNames: readonly string[];
  /** Inclusive bounds of a valid value, where there are any. */
  range?: readonly [number, number];
  /** A valid value, for tests that send every field through every implementation. */
  sample: string | number;
}

/** Keyed by Fix's own keys: adding a field to `Fix` without a row here does not compile. */
export const FIX_FIELDS = {
  uid: { kind: 'uid', optional: false, setBy: 'sender', rawNames: ['uid'], sample: '42' },
  lat: {
    kind: 'number',
    optional: false,
    setBy: 'sender',
    rawNames: ['latitude', 'lat'],
    range: [-90, 90],
    sample: 22.543096,
  },
  lon: {
    kind: 'number',
    optional: false,
    setBy: 'sender',
    rawNames: ['longitude', 'lon'],
    range: [-180, 180],
    sample: 114.057865,
  },
  ts: { kind: 'integer', optional: false, setBy: 'sender', rawNames: ['ts'], sample: 1_790_000_000_000 },
  crs: { kind: 'crs', optional: false, setBy: 'sender', rawNames: ['crs'], sample: 'wgs84' },
  speed: { kind: 'number', optional: true, setBy: 'sender', rawNames: ['speed'], sample: 3.5 },
  accuracy: { kind: 'number', optional: true, setBy: 'sender', rawNames: ['accuracy'], sample: 12 },
  altitude: { kind: 'number', optional: true, setBy: 'sender', rawNames: ['altitude'], sample: 41.5 },
  verticalAccuracy: {
    kind: 'number',
    optional: true,
    setBy: 'sender',
    rawNames: ['verticalAccuracy'],
    sample: 8,
  },
  horizontalAccuracy: {
    kind: 'number',
    optional: true,
    setBy: 'sender',
    rawNames: ['horizontalAccuracy'],
    sample: 9,
  },
  heading: {
    kind: 'number',
    optional: true,
    setBy: 'sender',
    rawNames: ['heading', 'direction'],
    range: [0, 360],
    sample: 90,
  },
  cid: { kind: 'id', optional: true, setBy: 'sender', rawNames: ['cid'], sample: 'dev1-000042' },
  epoch: { kind: 'id', optional: true, setBy: 'relay', rawNames: [], sample: 'e1' },
  offset: {
    kind: 'integer',
    optional: true,
    setBy: 'relay',
    rawNames: [],
    range: [1, 2 ** 53 - 1],
    sample: 7,
  },
} as const satisfies { [K in keyof Required<Fix>]: FixFieldSpec };

export type FixFieldName = keyof typeof FIX_FIELDS;
export const FIX_FIELD_NAMES = Object.keys(FIX_FIELDS) as FixFieldName[];

/** Optional numeric fields a sender may give, in the table's order (the relay and the store carry them as is). */
export const OPTIONAL_SENDER_NUMBERS = FIX_FIELD_NAMES.filter((name) => {
  const spec: FixFieldSpec = FIX_FIELDS[name];
  return spec.optional && spec.setBy === 'sender' && spec.kind === 'number';
});
