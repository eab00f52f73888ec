/**
 * The path of a tile the station serves itself, after a host's prefix: `offline/<map id>/<z>/<x>/<y>` or
 * `cache/<layer key>/<z>/<x>/<y>` (see contract/basemaps/active.ts). Parsed strictly: a path is untrusted input.
 */
import { OFFLINE_MAP_ID } from './schemas.js';

export type TilePath =
  | { kind: 'offline'; id: string; z: number; x: number; y: number }
  | { kind: 'cache'; layer: string; z: number; x: number; y: number };

const PATTERN = /^(offline|cache)\/([A-Za-z0-9_.-]{1,60})\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})(?:\.\w{2,4})?$/;
const LAYER_KEY = /^[a-z0-9-]{1,40}(\.labels)?$/;

export function parseTilePath(path: string): TilePath | undefined {
  const m = PATTERN.exec(path);
  if (!m) return undefined;
  const [, kind, name, zs, xs, ys] = m as unknown as [string, string, string, string, string, string];
  const z = Number(zs);
  const x = Number(xs);
  const y = Number(ys);
  if (z > 24 || x >= 2 ** z || y >= 2 ** z) return undefined;
  if (kind === 'offline') return OFFLINE_MAP_ID.test(name) ? { kind, id: name, z, x, y } : undefined;
  return LAYER_KEY.test(name) ? { kind: 'cache', layer: name, z, x, y } : undefined;
}

/** The upstream URL of one tile: the template filled in, the subdomain picked by the tile so it stays stable. */
export function fillTemplate(template: string, subdomains: string, z: number, x: number, y: number): string {
  const s = subdomains.length > 0 ? subdomains[(x + y) % subdomains.length] : '';
  return template
    .replace('{s}', s ?? '')
    .replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y));
}
