/** One batch to the relay through wx.request, and its answer reduced to what the uploader needs. */
import type { IngestErrorBody, IngestFix, IngestResult } from '../../protocol/ingest';
import type { Outcome } from './outcome';
import { outcomeOf } from './outcome';
import type { WxApi } from './wx-api';

export interface PostResult {
  outcome: Outcome;
  status: number;
  /** The error code of a refused request, or the wx `errMsg` of a request that got no answer. */
  code?: string;
  result?: IngestResult;
  /** From Retry-After on a 429. */
  retryAfterMs?: number;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isResult(data: unknown): data is IngestResult {
  const d = data as Partial<IngestResult> | null;
  return typeof d === 'object' && d !== null && typeof d.accepted === 'number' && Array.isArray(d.refused);
}

export function postBatch(
  api: Pick<WxApi, 'request'>,
  url: string,
  token: string,
  fixes: readonly IngestFix[],
  timeoutMs: number,
): Promise<PostResult> {
  return new Promise((resolve) => {
    api.request({
      url,
      method: 'POST',
      data: JSON.stringify({ fixes }),
      header: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      timeout: timeoutMs,
      success: (res) => {
        const error = (res.data as Partial<IngestErrorBody> | null)?.error;
        const code = typeof error?.code === 'string' ? error.code : undefined;
        const retryAfter = Number(header(res.header, 'retry-after'));
        resolve({
          outcome: outcomeOf(res.statusCode, code),
          status: res.statusCode,
          code,
          result: isResult(res.data) ? res.data : undefined,
          retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        });
      },
      fail: (err) => resolve({ outcome: 'retry', status: 0, code: err.errMsg }),
    });
  });
}
