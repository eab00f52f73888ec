/** A pasted list of member ids (one per line, or separated by commas, semicolons or spaces), checked. Pure. */
import { UID_PATTERN } from '../../../protocol/fix-limits.js';

export interface ParsedUids {
  /** Valid ids not watched yet, in the order pasted, each once. */
  toAdd: string[];
  invalid: string[];
  alreadyWatched: string[];
}

export function parseUidList(text: string, watched: ReadonlySet<string>): ParsedUids {
  const seen = new Set<string>();
  const result: ParsedUids = { toAdd: [], invalid: [], alreadyWatched: [] };
  for (const token of text.split(/[\s,;，；、]+/)) {
    if (token === '' || seen.has(token)) continue;
    seen.add(token);
    if (!UID_PATTERN.test(token)) result.invalid.push(token);
    else if (watched.has(token)) result.alreadyWatched.push(token);
    else result.toAdd.push(token);
  }
  return result;
}
