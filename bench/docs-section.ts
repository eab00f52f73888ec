/**
 * docs/benchmarks.md is written by several benchmarks, each owning its sections: a section runs from its `## `
 * heading to the next one, and a benchmark replaces only its own (or appends it), so running one benchmark never
 * drops another's figures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** `doc` with the section under `heading` (a `## ` line) replaced by `text`, or `text` appended. */
export function replaceSection(doc: string, heading: string, text: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const at = doc.startsWith(`${heading}\n`) ? 0 : doc.indexOf(`\n${heading}\n`);
  if (at < 0) return `${doc.trimEnd()}\n\n${body}`;
  const start = at === 0 ? 0 : at + 1;
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(0, start) + body + (next >= 0 ? doc.slice(next) : '');
}

/** `doc` with the section under `heading` removed and `text` put first, before every other `## ` section. */
export function replaceHead(doc: string, heading: string, text: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  let rest = doc;
  const at = rest.indexOf(`\n${heading}\n`);
  if (at >= 0) {
    const next = rest.indexOf('\n## ', at + 1);
    rest = rest.slice(0, at + 1) + (next >= 0 ? rest.slice(next + 1) : '');
  }
  const first = rest.indexOf('\n## ');
  return first >= 0
    ? `${rest.slice(0, first + 1)}${body}\n${rest.slice(first + 1)}`
    : `${rest.trimEnd()}\n\n${body}`;
}

export function writeSection(heading: string, text: string, path = BENCHMARKS_DOC): void {
  writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), heading, text));
  process.stderr.write(`bench: ${path.split('/').pop()} "${heading.slice(3)}" updated\n`);
}
