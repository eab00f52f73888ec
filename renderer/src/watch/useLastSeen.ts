/**
 * "Last seen" texts of the watch list, written straight into their spans once a second (and within a second of a
 * member's fix), so 500 watched members do not mean 500 list rows re-rendered by React every second.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { LiveStore } from '../live/live-store.js';

const REFRESH_MS = 1000;

export type LastSeenText = (lastTs: number | undefined, now: number) => string;

export function useLastSeen(
  live: LiveStore,
  text: LastSeenText,
): (uid: string) => (el: HTMLElement | null) => void {
  const spans = useRef(new Map<string, HTMLElement>());
  const textRef = useRef(text);
  textRef.current = text;

  const write = useCallback(
    (uid: string, el: HTMLElement, now: number) => {
      const next = textRef.current(live.latest(uid)?.ts, now);
      if (el.textContent !== next) el.textContent = next;
    },
    [live],
  );

  useEffect(() => {
    const refreshAll = (): void => {
      const now = Date.now();
      for (const [uid, el] of spans.current) write(uid, el, now);
    };
    refreshAll();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const off = live.subscribe(() => {
      pending ??= setTimeout(() => {
        pending = undefined;
        refreshAll();
      }, REFRESH_MS);
    });
    const timer = setInterval(refreshAll, REFRESH_MS * 5);
    return () => {
      off();
      clearInterval(timer);
      if (pending) clearTimeout(pending);
    };
  }, [live, write, text]);

  // One stable ref callback per member, so memoized rows keep equal props across renders.
  const callbacks = useRef(new Map<string, (el: HTMLElement | null) => void>());
  return useCallback(
    (uid: string) => {
      let callback = callbacks.current.get(uid);
      if (!callback) {
        callback = (el: HTMLElement | null) => {
          if (el) {
            spans.current.set(uid, el);
            write(uid, el, Date.now());
          } else spans.current.delete(uid);
        };
        callbacks.current.set(uid, callback);
      }
      return callback;
    },
    [write],
  );
}
