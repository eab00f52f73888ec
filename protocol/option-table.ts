/**
 * One option table per program (relay, its token and watch tools, the browser host, the simulator) drives flag
 * parsing, environment variables, validation and `--help`, so a new option cannot be parsed without being
 * documented. Pure and dependency-free: argv and the environment come in as parameters and nothing here needs
 * Node, so the mini-program can import it too.
 *
 * Written here rather than taken from a library: node:util parseArgs has no environment variables, defaults
 * checked by the same parser, or generated help, and does not exist in the mini-program; commander and yargs pull
 * in far more than a table of a dozen options needs.
 */

export type Parsed<V> = { value: V } | { error: string };

export interface OptionSpec<V> {
  /** Flag name without the leading dashes: `port` for `--port`. */
  flag: string;
  env?: string;
  description: string;
  /** Shown after the flag in `--help`, e.g. `<ws-url>`. */
  valueName?: string;
  /** Text parsed like a given value when the option is not given (so a bad default fails the table's test). */
  default?: string;
  /** Without a default: what happens when the option is not given, for `--help`. */
  unset?: string;
  required?: boolean;
  /** A repeated flag adds to the list: its values are joined with commas before parsing. Otherwise the last wins. */
  repeatable?: boolean;
  parse(text: string): Parsed<V>;
}

/** Keys are the names of the parsed values; their order is the order of `--help`. */
export type OptionTable<T> = { readonly [K in keyof T]-?: OptionSpec<Exclude<T[K], undefined>> };

export type Env = Readonly<Record<string, string | undefined>>;

export type OptionSource = 'flag' | 'env' | 'default';

export type ParsedOptions<T> =
  | {
      ok: true;
      /** Options not given and without a default are absent. */
      values: Partial<T>;
      /** Where each present value came from, for checks between options ("either A or B"). */
      from: Partial<Record<keyof T, OptionSource>>;
      positionals: string[];
    }
  | { ok: false; help: true }
  | { ok: false; help: false; errors: string[] };

export interface ParseSettings {
  /** Arguments that are not flags are returned instead of refused. */
  positionals?: boolean;
}

/** Every spec of a table with its key, in table order. */
export function optionEntries<T>(table: OptionTable<T>): [keyof T & string, OptionSpec<unknown>][] {
  return Object.entries(table) as [keyof T & string, OptionSpec<unknown>][];
}

/**
 * Flags win over environment variables, which win over defaults; an empty environment variable counts as unset.
 * Accepts `--flag value` and `--flag=value`; `--help` or `-h` anywhere asks for help whatever else is wrong.
 * Error messages name where the bad value came from (`--port`, `RELAY_PORT`, or the default of `--port`).
 */
export function parseOptions<T>(
  table: OptionTable<T>,
  argv: readonly string[],
  env: Env,
  settings: ParseSettings = {},
): ParsedOptions<T> {
  const entries = optionEntries(table);
  const errors: string[] = [];
  const given = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    if (!arg.startsWith('-') || arg === '-') {
      if (settings.positionals) positionals.push(arg);
      else errors.push(`unexpected argument "${arg}" (see --help)`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq >= 0 ? eq : undefined);
    const entry = arg.startsWith('--') ? entries.find(([, spec]) => spec.flag === name) : undefined;
    if (!entry) {
      errors.push(`unknown option ${eq >= 0 ? arg.slice(0, eq) : arg} (see --help)`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) errors.push(`--${name} needs a value`);
    else given.set(name, entry[1].repeatable ? [...(given.get(name) ?? []), value] : [value]);
  }

  const values: Record<string, unknown> = {};
  const from: Record<string, OptionSource> = {};
  for (const [key, spec] of entries) {
    const flagValues = given.get(spec.flag);
    const envValue = spec.env === undefined ? undefined : env[spec.env];
    const [text, source, origin]: [string | undefined, string, OptionSource] =
      flagValues !== undefined
        ? [flagValues.join(','), `--${spec.flag}`, 'flag']
        : envValue !== undefined && envValue !== ''
          ? [envValue, spec.env as string, 'env']
          : [spec.default, `the default of --${spec.flag}`, 'default'];
    if (text === undefined) {
      if (spec.required)
        errors.push(
          `${spec.env ?? `--${spec.flag}`} (or ${spec.env ? `--${spec.flag}` : 'its variable'}) is required: ${spec.description}`,
        );
      continue;
    }
    const parsed = spec.parse(text);
    if ('error' in parsed) errors.push(`${source} ${parsed.error}`);
    else {
      values[key] = parsed.value;
      from[key] = origin;
    }
  }
  if (errors.length) return { ok: false, help: false, errors };
  return {
    ok: true,
    values: values as Partial<T>,
    from: from as Partial<Record<keyof T, OptionSource>>,
    positionals,
  };
}

/** The defaults of a table, parsed; a default that does not parse is a programming error. */
export function optionDefaults<T>(table: OptionTable<T>): Partial<T> {
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of optionEntries(table)) {
    if (spec.default === undefined) continue;
    const parsed = spec.parse(spec.default);
    if ('error' in parsed) throw new Error(`default of --${spec.flag} ${parsed.error}`);
    defaults[key] = parsed.value;
  }
  return defaults as Partial<T>;
}

export interface HelpText {
  /** First lines, e.g. `Usage: npm run relay -- [options]`. */
  usage: string;
  /** Paragraph after the usage. */
  about?: string;
  /** Paragraph after the options. */
  footer?: string;
}

/** `--help`: usage, about, then each option on two lines (flag, variable, default; its description). */
export function optionHelp<T>(table: OptionTable<T>, text: HelpText): string {
  const rows = optionEntries(table).map(([, o]) => {
    const flag = `--${o.flag}${o.valueName ? ` ${o.valueName}` : ''}`;
    const fallback = o.required
      ? '(required)'
      : o.default !== undefined
        ? `default ${o.default === '' ? 'none' : o.default}`
        : o.unset !== undefined
          ? `default ${o.unset}`
          : '';
    return { flag, env: o.env ?? '', fallback, description: o.description };
  });
  const flagWidth = Math.max(...rows.map((r) => r.flag.length), '-h, --help'.length) + 2;
  const envWidth = Math.max(...rows.map((r) => r.env.length)) + 2;
  const lines = [text.usage, ''];
  if (text.about) lines.push(text.about, '');
  lines.push(
    envWidth > 2
      ? 'Options (flags win over environment variables; an empty variable counts as unset):'
      : 'Options:',
  );
  for (const r of rows) {
    lines.push(
      `  ${r.flag.padEnd(flagWidth)}${envWidth > 2 ? r.env.padEnd(envWidth) : ''}${r.fallback}`.trimEnd(),
    );
    for (const line of r.description.split('\n')) lines.push(`  ${''.padEnd(flagWidth)}${line.trim()}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(flagWidth)}show this help`);
  if (text.footer) lines.push('', text.footer);
  return `${lines.join('\n')}\n`;
}

// Value parsers shared by the tables.

export const text = (t: string): Parsed<string> => (t === '' ? { error: 'must not be empty' } : { value: t });

/** Text that may be empty (an empty default meaning "none"). */
export const optionalText = (t: string): Parsed<string> => ({ value: t });

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal number in [min, max] (no hex, exponents or blanks: what a person types). */
export const number =
  (min: number, max: number, { integer = false } = {}) =>
  (t: string): Parsed<number> => {
    const n = Number(t.trim());
    if (DECIMAL.test(t.trim()) && (!integer || Number.isInteger(n)) && n >= min && n <= max)
      return { value: n };
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    return { error: `must be ${integer ? 'an integer' : 'a number'} ${range}, got "${t}"` };
  };

export const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => number(min, max, { integer: true });

const ON_OFF: Record<string, boolean> = {
  on: true,
  true: true,
  '1': true,
  off: false,
  false: false,
  '0': false,
};

export const onOff = (t: string): Parsed<boolean> => {
  const value = ON_OFF[t.trim().toLowerCase()];
  return value === undefined ? { error: `must be on or off, got "${t}"` } : { value };
};

export const oneOf =
  <V extends string>(choices: readonly V[]) =>
  (t: string): Parsed<V> =>
    (choices as readonly string[]).includes(t)
      ? { value: t as V }
      : { error: `must be one of ${choices.join(', ')}, got "${t}"` };

/** A URL of one of the schemes, checked by shape (the URL class is not everywhere this module runs). */
export const urlOf =
  (schemes: readonly string[]) =>
  (t: string): Parsed<string> =>
    schemes.some((s) => t.startsWith(`${s}//`) && t.length > s.length + 2) && !/\s/.test(t)
      ? { value: t }
      : { error: `must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL, got "${t}"` };

/** A comma-separated list (of a repeatable flag or one value), trimmed, blanks and duplicates dropped. */
export const list = (t: string): Parsed<string[]> => ({
  value: [
    ...new Set(
      t
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ],
});
