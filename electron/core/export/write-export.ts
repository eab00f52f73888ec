/**
 * Stream one member's range to a file in one of the export formats. The range is read in chunks (the store's
 * keyset iterator holds no statement open, so live writes go on), written through a file stream honouring its
 * backpressure, and reported as progress `(written, total)`. The text goes to a temporary file beside the target,
 * is fsynced, and only then renamed over the final name: a crash never leaves a half file under that name.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, fsyncSync, openSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UID_PATTERN } from '../../../protocol/fix.js';
import type { Fix } from '../../../protocol/fix.js';
import { EXPORT_FORMATS } from '../../../contract/station-api.js';
import type { ExportProgress, ExportRequest, ExportResult } from '../../../contract/station-api.js';
import { TRACK_FORMATS } from './formats/index.js';
import type { ExportMeta } from './formats/index.js';
import { toExportPoint } from './point.js';

/** The part of the track store an export reads. */
export interface ExportSource {
  countRange(uid: string, from: number, to: number): number;
  iterateRange(uid: string, from: number, to: number, chunkSize?: number): Iterable<Fix[]>;
}

export interface WriteExportOptions {
  /** The final file. Its folder must exist. */
  path: string;
  exportId?: string;
  label?: string;
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
    typeof request.uid === 'string' &&
    UID_PATTERN.test(request.uid) &&
    Number.isSafeInteger(request.from) &&
    Number.isSafeInteger(request.to) &&
    request.from <= request.to &&
    (EXPORT_FORMATS as readonly string[]).includes(request.format);
  if (!ok)
    throw new ExportError(
      'EXPORT_BAD_REQUEST',
      'an export needs a member id, from <= to (ms) and a known format',
    );
}

/** A file name for an export, e.g. `lodestar-42-20261127T0315.gpx`; only characters safe on every filesystem. */
export function exportFileName(request: ExportRequest, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const uid = request.uid.replace(/[^A-Za-z0-9_-]/g, '_');
  return `lodestar-${uid}-${stamp}.${TRACK_FORMATS[request.format].extension}`;
}

export async function writeTrackExport(
  source: ExportSource,
  request: ExportRequest,
  options: WriteExportOptions,
): Promise<ExportResult> {
  validateExportRequest(request);
  const format = TRACK_FORMATS[request.format];
  const exportId = options.exportId ?? randomUUID();
  const { uid, from, to } = request;
  const meta: ExportMeta = {
    uid,
    from,
    to,
    count: source.countRange(uid, from, to),
    createdAt: options.now ?? Date.now(),
    ...(options.label !== undefined && { label: options.label }),
  };
  const progress = (written: number, done: boolean, error?: string) =>
    options.onProgress?.({
      exportId,
      uid,
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

  let processed = 0;
  try {
    progress(0, false);
    await write(format.begin(meta));
    for (let pass = 0; pass < format.passes; pass++) {
      await write(format.beginPass(pass, meta));
      let index = 0;
      for (const chunk of source.iterateRange(uid, from, to, options.chunkSize ?? 5_000)) {
        let text = '';
        for (const fix of chunk) text += format.point(toExportPoint(fix), index++, pass, meta);
        await write(text);
        processed += chunk.length;
        progress(Math.floor(processed / format.passes), false);
        // Let the batched writer and the socket run between chunks even when the disk keeps up.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await write(format.endPass(pass, meta));
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
    const message = `export of ${uid} to ${options.path} failed: ${(cause as Error).message}`;
    progress(Math.floor(processed / format.passes), true, message);
    throw new ExportError('EXPORT_WRITE_FAILED', message, { cause });
  }
  const written = Math.floor(processed / format.passes);
  progress(written, true);
  return { exportId, path: options.path, count: written, bytes: statSync(options.path).size };
}
