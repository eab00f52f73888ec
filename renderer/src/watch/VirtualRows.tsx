/**
 * A list that mounts only the rows in sight (plus a few), so 5,000 watched members cost ~30 DOM rows: showing
 * the live tab again or re-sorting stays cheap. Fixed row height keeps it a division, not a measurement. Written
 * here (about 50 lines) instead of adding react-window for one fixed-height list.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

const OVERSCAN = 6;

export function VirtualRows<T>({
  items,
  rowHeight,
  render,
  className,
  scrollToIndex,
}: {
  items: readonly T[];
  rowHeight: number;
  /** Each row must be an `li` placed at `top` (absolute, within the list). */
  render: (item: T, index: number, top: number) => ReactNode;
  className?: string;
  /** Bring this row into view (e.g. the member selected on the map). */
  scrollToIndex?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    if (top < el.scrollTop || top + rowHeight > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    }
  }, [scrollToIndex, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(render(items[i] as T, i, i * rowHeight));
  return (
    <div ref={box} className={className} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul style={{ height: items.length * rowHeight, position: 'relative' }}>{rows}</ul>
    </div>
  );
}
