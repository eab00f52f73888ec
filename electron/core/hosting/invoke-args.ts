/**
 * Runtime validation of every station API call's arguments, for both hosts: an IPC message or an HTTP body is
 * untrusted input. A bad call gets `bad_request` with the first issues, never reaches the core.
 */
import { z } from 'zod';
import { CRS_VALUES, UID_PATTERN } from '../../../protocol/fix.js';
import type { ParseResult } from '../../../protocol/fix.js';
import { EXPORT_FORMATS, LOCALES, MAX_EXPORT_MEMBERS } from '../../../contract/station-api.js';
import { MAX_RECENT_ALERTS } from '../../../contract/alerts.js';
import { TRACK_SETTING_LIMITS } from '../../../contract/track/settings.js';
import { isLiveThreshold } from '../../../contract/live-settings.js';
import type { InvokeArgs, InvokeMethod } from '../../../contract/channels.js';
import { TILE_CACHE_MODES } from '../../../contract/basemaps/active.js';
import {
  basemapChoiceSchema,
  offlineMapIdSchema,
  offlineMapImportSchema,
  tiandituKeySchema,
  tileCacheMbSchema,
  tileUrlSchema,
} from '../basemaps/schemas.js';

const uid = z.string().regex(UID_PATTERN);
const time = z.number().int().nonnegative();
/** CSS colours the renderer may store: hex or a plain name, nothing that could carry markup or url(). */
const color = z.string().regex(/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,32})$/);
const label = z.string().min(1).max(80);
/** Each track setting within its limits (contract/track/settings.ts is the one list of them). */
const trackSettings = z
  .object(
    Object.fromEntries(
      Object.entries(TRACK_SETTING_LIMITS).map(([key, [min, max]]) => [
        key,
        z.number().min(min).max(max).optional(),
      ]),
    ) as Record<keyof typeof TRACK_SETTING_LIMITS, z.ZodOptional<z.ZodNumber>>,
  )
  .strict();
const range = z.object({ uid, from: time, to: time }).refine((r) => r.from <= r.to, 'from must be <= to');

const schemas: { [M in InvokeMethod]: z.ZodType<InvokeArgs<M>> } = {
  getStatus: z.tuple([]),
  listWatched: z.tuple([]),
  watch: z.union([
    z.tuple([uid]),
    z.tuple([uid, z.object({ label: label.optional(), color: color.optional() }).optional()]),
  ]) as unknown as z.ZodType<InvokeArgs<'watch'>>,
  // The relay's own limit per connection is in the thousands; a paste of more is a mistake, not a list.
  watchMany: z.tuple([z.array(uid).min(1).max(10_000)]),
  unwatch: z.tuple([uid]),
  updateMember: z.tuple([uid, z.object({ label: label.optional(), color: color.optional() })]),
  listMembers: z.tuple([]),
  latest: z.union([z.tuple([]), z.tuple([z.array(uid).max(10_000).optional()])]) as unknown as z.ZodType<
    InvokeArgs<'latest'>
  >,
  queryRange: z.tuple([
    z.object({
      uid,
      from: time,
      to: time,
      maxPoints: z.number().int().min(2).max(10_000_000).optional(),
    }),
  ]),
  historyOverview: z.tuple([
    z
      .object({ uid, from: time, to: time, settings: trackSettings.optional() })
      .strict()
      .refine((r) => r.from <= r.to, 'from must be <= to'),
  ]),
  prepareHistory: z.tuple([
    z
      .object({ from: time, to: time, settings: trackSettings.optional() })
      .strict()
      .refine((r) => r.from <= r.to, 'from must be <= to'),
  ]),
  stats: z.tuple([range]),
  holes: z.tuple([range]),
  exportTrack: z.tuple([
    z
      .object({
        uids: z
          .array(uid)
          .min(1)
          .max(MAX_EXPORT_MEMBERS)
          .refine((u) => new Set(u).size === u.length, 'uids must not repeat'),
        from: time,
        to: time,
        format: z.enum(EXPORT_FORMATS),
        utcOffsetMinutes: z
          .number()
          .int()
          .min(-14 * 60)
          .max(14 * 60)
          .optional(),
        settings: trackSettings.optional(),
      })
      .strict()
      .refine((r) => r.from <= r.to, 'from must be <= to'),
  ]),
  listAlerts: z.tuple([]),
  raiseAlerts: z.tuple([z.array(z.object({ uid, at: time, lastTs: time }).strict()).max(MAX_RECENT_ALERTS)]),
  clearAlerts: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([
    z
      .object({
        relayUrl: z
          .string()
          .max(2048)
          .regex(/^wss?:\/\//, 'relayUrl must start with ws:// or wss://')
          .optional(),
        token: z.string().min(1).max(16_384).optional(),
        retentionDays: z.number().int().min(0).max(36_500).optional(),
        locale: z.enum(LOCALES).optional(),
        basemapCrs: z.enum(CRS_VALUES).optional(),
        tileUrl: tileUrlSchema.optional(),
        basemap: basemapChoiceSchema.optional(),
        tiandituKey: tiandituKeySchema.optional(),
        tileCache: z.enum(TILE_CACHE_MODES).optional(),
        tileCacheMb: tileCacheMbSchema.optional(),
        staleAfterMs: z.number().refine(isLiveThreshold, 'a live threshold out of range').optional(),
        offlineAfterMs: z.number().refine(isLiveThreshold, 'a live threshold out of range').optional(),
        desktopNotifications: z.boolean().optional(),
      })
      .strict(),
  ]),
  listOfflineMaps: z.tuple([]),
  importOfflineMap: z.tuple([offlineMapImportSchema]) as unknown as z.ZodType<InvokeArgs<'importOfflineMap'>>,
  removeOfflineMap: z.tuple([offlineMapIdSchema]),
};

export function parseInvokeArgs<M extends InvokeMethod>(
  method: M,
  args: unknown,
): ParseResult<InvokeArgs<M>, 'bad_request'> {
  const parsed = schemas[method].safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as InvokeArgs<M> };
  const message = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason: 'bad_request', message };
}
