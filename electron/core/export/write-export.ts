/**
 * Stream the selected members' range to one file in one of the export formats. Each member's track is read as
 * columns and cut into segments and stops by the same functions the renderer draws with (contract/track/); the
 * fixes themselves are read in chunks (the store's keyset iterator holds no statement open, so live writes go on)
 * and written a segment at a time through a file stream honouring its backpressure, with progress
 * `(written, total)`. The text goes to a temporary file beside the target, is fsynced, and only then renamed over
 * the final name: a crash never leaves a half file under that name.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, fsyncSync, openSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UID_PATTERN } from '../../../protocol/fix.js';
import { CRS_VALUES, type Fix } from '../../../protocol/fix.js';
import { toWgs84 } from '../../../protocol/crs.js';
import { EXPORT_FORMATS, MAX_EXPORT_MEMBERS } from '../../../contract/station-api.js';
import type {
  ExportProgress,
  ExportRequest,
  ExportResult,
  RangeQuery,
  TrackColumns,
} from '../../../contract/station-api.js';
import { analyzeTrack, normalizeTrackSettings, type TrackHole } from '../../../contract/track/index.js';
import { TRACK_FORMATS } from './formats/index.js';
import type { ExportMember, ExportMeta } from './formats/index.js';
import { PieceJoiner } from './formats/format.js';
import { toExportPoint, type ExportPoint } from './point.js';

/** The part of the track store an export reads. */
export interface ExportSource {
  range(query: RangeQuery): TrackColumns;
  iterateRange(uid: string, from: number, to: number, chunkSize?: number): Iterable<Fix[]>;
  /** Spans the store recorded as lost, with their reason (none until the store records them). */
  holes?(uid: string, from: number, to: number): TrackHole[];
}

export interface WriteExportOptions {
  /** The final file. Its folder must exist. */
  path: string;
  exportId?: string;
  /** The dispatcher's labels of members, by uid. */
  labels?: Readonly<Record<string, string>>;
  onProgress?: (progress: ExportProgress) => void;
  chunkSize?: number;
  now?: number;
}

export const EXPORT_ERROR_CODES = ['EXPORT_BAD_REQUEST', 'EXPORT_WRITE_FAILED'] as const;
export type ExportErrorCode = (typeof EXPORT_ERROR_CODES)[number];

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function validateExportRequest(request: ExportRequest): void {
  const ok =
    typeof request === 'object' &&
    request !== null &&
    Array.isArray(request.uids) &&
    request.uids.length >= 1 &&
    request.uids.length <= MAX_EXPORT_MEMBERS &&
    new Set(request.uids).size === request.uids.length &&
    request.uids.every((uid) => typeof uid === 'string' && UID_PATTERN.test(uid)) &&
    Number.isSafeInteger(request.from) &&
    Number.isSafeInteger(request.to) &&
    request.from <= request.to &&
    (request.utcOffsetMinutes === undefined || Number.isInteger(request.utcOffsetMinutes)) &&
    (EXPORT_FORMATS as readonly string[]).includes(request.format);
  if (!ok)
    throw new ExportError(
      'EXPORT_BAD_REQUEST',
      `an export needs 1 to ${MAX_EXPORT_MEMBERS} distinct member ids, from <= to (ms) and a known format`,
    );
}

interface PlannedMember extends ExportMember {
  /** Time of the first fix of each segment after the first: where a new segment begins. */
  segmentStarts: number[];
}

/** Read each member's columns and cut them as the renderer does: segments, stops (WGS-84 centres), counts. */
function planMembers(source: ExportSource, request: ExportRequest, labels: Readonly<Record<string, string>>) {
  const settings = normalizeTrackSettings(request.settings);
  return request.uids.map((uid): PlannedMember => {
    const columns = source.range({ uid, from: request.from, to: request.to });
    const analysis = analyzeTrack(columns, settings, source.holes?.(uid, request.from, request.to) ?? []);
    const label = labels[uid];
    return {
      uid,
      ...(label !== undefined && { label }),
      count: columns.count,
      segments: analysis.segments.length,
      segmentStarts: analysis.segments.slice(1).map((s) => s.fromTs),
      stops: analysis.stops.map((stop, k) => {
        const wgs = toWgs84(stop.lon, stop.lat, CRS_VALUES[stop.crs] ?? 'gcj02');
        return { number: k + 1, fromTs: stop.fromTs, toTs: stop.toTs, lat: wgs.lat, lon: wgs.lon };
      }),
    };
  });
}

export async function writeTrackExport(
  source: ExportSource,
  request: ExportRequest,
  options: WriteExportOptions,
): Promise<ExportResult> {
  validateExportRequest(request);
  const format = TRACK_FORMATS[request.format];
  const exportId = options.exportId ?? randomUUID();
  const { from, to } = request;
  const members = planMembers(source, request, options.labels ?? {});
  const meta: ExportMeta = {
    members,
    from,
    to,
    count: members.reduce((n, m) => n + m.count, 0),
    createdAt: options.now ?? Date.now(),
    utcOffsetMinutes: request.utcOffsetMinutes ?? 0,
  };
  const progress = (written: number, done: boolean, error?: string) =>
    options.onProgress?.({
      exportId,
      uids: request.uids,
      format: request.format,
      written,
      total: meta.count,
      done,
      ...(error !== undefined && { error }),
    });

  const temp = join(dirname(options.path), `.${basename(options.path)}.${exportId}.partial`);
  const stream = createWriteStream(temp, { flags: 'wx', encoding: 'utf8' });
  let streamError: Error | undefined;
  stream.on('error', (error) => (streamError = error));
  const write = async (text: string) => {
    if (streamError) throw streamError;
    if (text !== '' && !stream.write(text)) {
      await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (streamError) throw streamError;
    }
  };

  let written = 0;
  try {
    progress(0, false);
    await write(format.begin(meta));
    const join = new PieceJoiner(format.separator);
    for (const member of members) {
      await write(format.beginMember(member, meta));
      let number = 1;
      let points: ExportPoint[] = [];
      const flush = async () => {
        if (points.length > 0) await write(join.item(format.segment(member, number, points, meta)));
        written += points.length;
        points = [];
      };
      for (const chunk of source.iterateRange(member.uid, from, to, options.chunkSize ?? 5_000)) {
        for (const fix of chunk) {
          // A fix at or after the next segment's first fix belongs to the next segment (fixes stored since the
          // columns were read fall into the segment their time says).
          while (number <= member.segmentStarts.length && fix.ts >= member.segmentStarts[number - 1]!) {
            await flush();
            number++;
          }
          points.push(toExportPoint(fix));
        }
        progress(written + points.length, false);
        // Let the batched writer and the socket run between chunks even when the disk keeps up.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await flush();
      await write(join.item(format.endMember(member, meta)));
    }
    await write(format.end(meta));
    stream.end();
    await once(stream, 'finish');
    if (streamError) throw streamError;
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, options.path);
  } catch (cause) {
    stream.destroy();
    rmSync(temp, { force: true });
    const message = `export of ${request.uids.join(', ')} to ${options.path} failed: ${(cause as Error).message}`;
    progress(written, true, message);
    throw new ExportError('EXPORT_WRITE_FAILED', message, { cause });
  }
  progress(written, true);
  return { exportId, path: options.path, count: written, bytes: statSync(options.path).size };
}
