/**
 * Exports as the station runs them: one id per export, a file in the exports folder, progress events to every
 * subscriber, a failure turned into `export_failed` with the writer's message. The writing itself is the
 * injected `TrackExporter` (electron/core/export/ in production).
 */
import { randomUUID } from 'node:crypto';
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
import { exportFileName } from '../export/index.js';
import type { TrackStore } from '../store/types.js';

export type TrackExporter = (args: {
  store: TrackStore;
  request: ExportRequest;
  file: string;
  /** The member's local label, for the file's metadata. */
  label?: string;
  onProgress: (written: number, total: number) => void;
}) => Promise<{ count: number; bytes: number }>;

export class ExportRunner {
  private readonly listeners = new Set<(progress: ExportProgress) => void>();

  constructor(
    private readonly deps: { store: TrackStore; exporter: TrackExporter; exportsDir: string; logger: Logger },
  ) {}

  subscribe(listener: (progress: ExportProgress) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  async run(request: ExportRequest): Promise<ExportResult> {
    const { store, exporter, exportsDir, logger } = this.deps;
    const exportId = randomUUID();
    await mkdir(exportsDir, { recursive: true });
    const file = join(exportsDir, exportFileName(request, Date.now()));
    const label = store.listWatched().find((m) => m.uid === request.uid)?.label;
    const progress = (written: number, total: number, done: boolean, error?: string): void => {
      const event: ExportProgress = {
        exportId,
        uid: request.uid,
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
        ...(label !== undefined ? { label } : {}),
        onProgress: (written, total) => progress(written, total, false),
      });
      progress(count, count, true);
      return { exportId, path: file, count, bytes };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(0, 0, true, message);
      logger.error({ err: error, uid: request.uid, format: request.format }, 'export failed');
      throw new StationError('export_failed', message);
    }
  }
}
