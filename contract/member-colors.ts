/**
 * Colours for watched members, shared by the station (default colour of a new watch) and the renderer: distinct on a map (Sasha Trubetskoy's list, the first twelve), assigned so that
 * a new member gets the first colour no one uses, and only repeats once all are taken. Without his red and maroon:
 * the timeline marks gaps and lost spans in those reds (renderer/src/history/health-colors.ts, whose test keeps
 * this list clear of them); lime and black from further down his list instead.
 */
export const MEMBER_COLORS = [
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#9a6324',
  '#469990',
  '#808000',
  '#000075',
  '#bfef45',
  '#000000',
] as const;

export function nextColor(used: readonly string[], palette: readonly string[] = MEMBER_COLORS): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  const free = palette.find((c) => !taken.has(c.toLowerCase()));
  if (free) return free;
  // All taken: the least used one, earliest in the palette on ties, keeps repeats spread out.
  const counts = palette.map((c) => used.filter((u) => u.toLowerCase() === c.toLowerCase()).length);
  const fewest = Math.min(...counts);
  return palette[counts.indexOf(fewest)] as string;
}

/**
 * `count` colours for members added together: the same as calling `nextColor` that many times, each time with the
 * colours chosen so far added to `used`, but one pass over `used` (nextColor per member is quadratic: 5,000 members
 * took seconds).
 */
export function nextColors(
  used: readonly string[],
  count: number,
  palette: readonly string[] = MEMBER_COLORS,
): string[] {
  const index = new Map(palette.map((c, i) => [c.toLowerCase(), i]));
  const counts = palette.map(() => 0);
  for (const color of used) {
    const i = index.get(color.toLowerCase());
    if (i !== undefined) counts[i]!++;
  }
  const chosen: string[] = [];
  for (let n = 0; n < count; n++) {
    let best = 0;
    for (let i = 1; i < counts.length; i++) if (counts[i]! < counts[best]!) best = i;
    counts[best]!++;
    chosen.push(palette[best] as string);
  }
  return chosen;
}
