/**
 * Just enough Dockerfile reading for deploy/docker/docker.test.ts to run the image's own commands: instructions
 * with continuation lines joined, and exec-form (JSON array) arguments. The lint itself is dockerfile-utils'.
 */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

export function dockerInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.indexOf(' ');
    out.push({ keyword: whole.slice(0, space).toUpperCase(), args: whole.slice(space + 1).trim() });
  }
  return out;
}

/** `["node", "x.mjs"]` → `['node', 'x.mjs']`; shell form → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed = JSON.parse(args) as unknown;
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
}
