/**
 * Exports as the station runs them: one id per export, a file name that says who and which period and never
 * overwrites a file, progress events to every subscriber, a failure turned into `export_failed` with the writer's
 * message. The writing itself is the injected `TrackExporter` (electron/core/export/ in production). Where the file
 * goes is the host's business: the Electron shell asks the dispatcher (`chooseExportPath`), the browser host writes
 * to the exports folder and offers a download.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type {
  ExportProgress,
  ExportRequest,
  ExportResult,
  Unsubscribe,
} from '../../../contract/station-api.js';
import { StationError } from '../../../contract/errors.js';
import { exportBaseName, TRACK_FORMATS, uniqueFileName } from '../export/index.js';
import type { TrackStore } from '../store/types.js';

export type TrackExporter = (args: {
  store: TrackStore;
  request: ExportRequest;
  file: string;
  /** The members' local labels, for the file's names and metadata. */
  labels: Record<string, string>;
  onProgress: (written: number, total: number) => void;
}) => Promise<{ count: number; bytes: number }>;

/** Asks where to save, starting from a suggested full path; undefined when the dispatcher cancels. */
export type ChooseExportPath = (suggestedPath: string) => Promise<string | undefined>;

export class ExportRunner {
  private readonly listeners = new Set<(progress: ExportProgress) => void>();
  /** Names handed out but maybe not yet on disk (an export still writing), so two exports never share one. */
  private readonly reserved = new Set<string>();

  constructor(
    private readonly deps: {
      store: TrackStore;
      exporter: TrackExporter;
      exportsDir: string;
      logger: Logger;
      chooseExportPath?: ChooseExportPath;
    },
  ) {}

  subscribe(listener: (progress: ExportProgress) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  async run(request: ExportRequest): Promise<ExportResult> {
    const { store, exporter, exportsDir, logger, chooseExportPath } = this.deps;
    const exportId = randomUUID();
    // The name is chosen and reserved before the first await, so exports started one after the other get their
    // names in that order (the first the plain name, the next `_2`), whatever finishes first.
    const base = exportBaseName(request.uids, request.from, request.to, request.utcOffsetMinutes ?? 0);
    const name = uniqueFileName(base, TRACK_FORMATS[request.format].extension, (n) => {
      const path = join(exportsDir, n);
      return this.reserved.has(path) || existsSync(path);
    });
    const suggested = join(exportsDir, name);
    this.reserved.add(suggested);
    let file: string | undefined;
    try {
      await mkdir(exportsDir, { recursive: true });
      file = chooseExportPath ? await chooseExportPath(suggested) : suggested;
    } finally {
      if (file !== suggested) this.reserved.delete(suggested);
    }
    if (file === undefined) throw new StationError('export_cancelled', 'the dispatcher cancelled the export');
    this.reserved.add(file);
    const labels = Object.fromEntries(
      store
        .listWatched()
        .filter((m) => request.uids.includes(m.uid))
        .map((m) => [m.uid, m.label]),
    );
    const progress = (written: number, total: number, done: boolean, error?: string): void => {
      const event: ExportProgress = {
        exportId,
        uids: request.uids,
        format: request.format,
        written,
        total,
        done,
      };
      if (error) event.error = error;
      for (const listener of this.listeners) listener(event);
    };
    try {
      const { count, bytes } = await exporter({
        store,
        request,
        file,
        labels,
        onProgress: (written, total) => progress(written, total, false),
      });
      progress(count, count, true);
      return { exportId, path: file, count, bytes };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(0, 0, true, message);
      logger.error({ err: error, uids: request.uids, format: request.format }, 'export failed');
      throw new StationError('export_failed', message);
    } finally {
      this.reserved.delete(file);
    }
  }
}
