/**
 * Validation of every basemap value that crosses a boundary (settings, station calls, tile paths): one schema per
 * value, shared by the settings table and the call arguments so both refuse the same things.
 */
import { z } from 'zod';
import { CRS_VALUES } from '../../../protocol/fix-limits.js';
import { BASEMAP_PRESET_IDS } from '../../../contract/basemaps/presets.js';

/** Ids the station gives imported maps (random, url-safe): never a path. */
export const OFFLINE_MAP_ID = /^[A-Za-z0-9_-]{8,40}$/;
export const offlineMapIdSchema = z.string().regex(OFFLINE_MAP_ID);

export const basemapChoiceSchema = z.union([
  z.literal(''),
  z.literal('none'),
  z.literal('custom'),
  z.enum(BASEMAP_PRESET_IDS),
  z.templateLiteral(['offline:', z.string().regex(OFFLINE_MAP_ID)]),
]);

/** A tile template: http(s) with {z}/{x}/{y}, or empty. Anything else would only ever draw grey. */
export const tileUrlSchema = z.union([
  z.literal(''),
  z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[^\s]+$/, 'the tile URL must start with http:// or https://')
    .refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)), 'the tile URL needs {z}, {x} and {y}'),
]);

export const tiandituKeySchema = z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9]{8,64}$/)]);
export const tileCacheMbSchema = z.number().int().min(0).max(100_000);

export const offlineMapImportSchema = z.union([
  z
    .object({
      uploadId: offlineMapIdSchema,
      crs: z.enum(CRS_VALUES).optional(),
      name: z.string().min(1).max(120).optional(),
    })
    .strict(),
  z
    .object({
      pick: z.literal(true),
      crs: z.enum(CRS_VALUES).optional(),
      name: z.string().min(1).max(120).optional(),
    })
    .strict(),
]);
