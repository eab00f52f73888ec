import { describe, expect, it } from 'vitest';
import {
  integer,
  list,
  number,
  onOff,
  oneOf,
  optionDefaults,
  optionHelp,
  optionalText,
  parseOptions,
  text,
  urlOf,
  type OptionTable,
} from './option-table.js';

interface Sample {
  port: number;
  name: string;
  verbose: boolean;
  tags: string[];
  secret: string;
  note: string;
}

const TABLE: OptionTable<Sample> = {
  port: { flag: 'port', env: 'S_PORT', default: '80', description: 'port', parse: integer(0, 65_535) },
  name: {
    flag: 'name',
    env: 'S_NAME',
    valueName: '<name>',
    unset: 'anonymous',
    description: 'name',
    parse: text,
  },
  verbose: { flag: 'verbose', default: 'off', description: 'say more', parse: onOff },
  tags: { flag: 'tag', repeatable: true, description: 'tags', parse: list },
  secret: { flag: 'secret', env: 'S_SECRET', required: true, description: 'the secret', parse: text },
  note: { flag: 'note', default: '', description: 'a note', parse: optionalText },
};

const BASE = { S_SECRET: 's' };

describe('parseOptions', () => {
  it.each([
    ['defaults', [], {}, { port: 80, verbose: false, note: '', secret: 's' }],
    ['--flag value', ['--port', '81'], {}, { port: 81 }],
    ['--flag=value', ['--port=82'], {}, { port: 82 }],
    ['a value with =', ['--name=a=b'], {}, { name: 'a=b' }],
    ['environment', [], { S_PORT: '83', S_NAME: 'n' }, { port: 83, name: 'n' }],
    ['flag wins over environment', ['--port', '84'], { S_PORT: '83' }, { port: 84 }],
    ['empty variable is unset', [], { S_PORT: '' }, { port: 80 }],
    ['last of a repeated flag wins', ['--port', '1', '--port', '2'], {}, { port: 2 }],
    ['repeatable flags add up', ['--tag', 'a,b', '--tag', 'c', '--tag', 'a'], {}, { tags: ['a', 'b', 'c'] }],
    ['a value that looks like a flag', ['--name', '-x'], {}, { name: '-x' }],
    ['required from a flag', ['--secret', 'f'], { S_SECRET: '' }, { secret: 'f' }],
  ] as const)('%s', (_name, argv, env, expected) => {
    const parsed = parseOptions(TABLE, argv, { ...BASE, ...env });
    expect(parsed.ok && parsed.values).toMatchObject(expected);
  });

  it('says where each value came from', () => {
    const parsed = parseOptions(TABLE, ['--port', '1'], { ...BASE, S_NAME: 'n' });
    expect(parsed.ok && parsed.from).toEqual({
      port: 'flag',
      name: 'env',
      secret: 'env',
      verbose: 'default',
      note: 'default',
    });
  });

  it.each([
    ['unknown flag', ['--nope'], BASE, 'unknown option --nope (see --help)'],
    ['unknown flag with a value', ['--nope=1'], BASE, 'unknown option --nope (see --help)'],
    ['unknown short flag', ['-x'], BASE, 'unknown option -x (see --help)'],
    ['positional', ['extra'], BASE, 'unexpected argument "extra" (see --help)'],
    ['missing value', ['--port'], BASE, '--port needs a value'],
    ['bad flag value', ['--port', 'x'], BASE, '--port must be an integer from 0 to 65535, got "x"'],
    [
      'bad variable',
      [],
      { ...BASE, S_PORT: '70000' },
      'S_PORT must be an integer from 0 to 65535, got "70000"',
    ],
    ['empty text flag', ['--name='], BASE, '--name must not be empty'],
    ['required', [], {}, 'S_SECRET (or --secret) is required: the secret'],
  ] as const)('refuses %s', (_name, argv, env, message) => {
    expect(parseOptions(TABLE, argv, env)).toEqual({ ok: false, help: false, errors: [message] });
  });

  it('reports every error at once', () => {
    const parsed = parseOptions(TABLE, ['--port', 'x', '--bad'], {});
    expect(parsed.ok ? [] : !parsed.help && parsed.errors).toHaveLength(3);
  });

  it('a bad default names the default', () => {
    const table: OptionTable<{ n: number }> = {
      n: { flag: 'n', default: 'ten', description: 'n', parse: integer(0) },
    };
    expect(parseOptions(table, [], {})).toMatchObject({
      errors: ['the default of --n must be an integer of at least 0, got "ten"'],
    });
    expect(() => optionDefaults(table)).toThrow(/default of --n/);
  });

  it.each([[['--help']], [['-h']], [['--port', 'x', '--help']], [['--bogus', '-h']]])(
    '%j asks for help',
    (argv) => {
      expect(parseOptions(TABLE, argv, {})).toEqual({ ok: false, help: true });
    },
  );

  it('keeps positionals when asked', () => {
    const parsed = parseOptions(TABLE, ['run', '--port', '1', 'now'], BASE, { positionals: true });
    expect(parsed.ok && parsed.positionals).toEqual(['run', 'now']);
  });
});

describe('value parsers', () => {
  it.each([
    [integer(1, 10), '5', { value: 5 }],
    [integer(1, 10), ' 7 ', { value: 7 }],
    [integer(1, 10), '0', { error: 'must be an integer from 1 to 10, got "0"' }],
    [integer(1, 10), '1.5', { error: 'must be an integer from 1 to 10, got "1.5"' }],
    [integer(1), '0x10', { error: 'must be an integer of at least 1, got "0x10"' }],
    [integer(1), '1e3', { error: 'must be an integer of at least 1, got "1e3"' }],
    [integer(0), '', { error: 'must be an integer of at least 0, got ""' }],
    [number(0.01, 50), '0.5', { value: 0.5 }],
    [number(-1, 1), '-1', { value: -1 }],
    [number(0.01, 50), 'fast', { error: 'must be a number from 0.01 to 50, got "fast"' }],
    [onOff, 'ON', { value: true }],
    [onOff, '0', { value: false }],
    [onOff, 'maybe', { error: 'must be on or off, got "maybe"' }],
    [oneOf(['a', 'b']), 'b', { value: 'b' }],
    [oneOf(['a', 'b']), 'c', { error: 'must be one of a, b, got "c"' }],
    [urlOf(['ws:', 'wss:']), 'wss://h:1/p', { value: 'wss://h:1/p' }],
    [urlOf(['ws:', 'wss:']), 'http://h', { error: 'must be a ws:// or wss:// URL, got "http://h"' }],
    [urlOf(['ws:']), 'ws://', { error: 'must be a ws:// URL, got "ws://"' }],
    [urlOf(['ws:']), 'ws://a b', { error: 'must be a ws:// URL, got "ws://a b"' }],
    [text, '', { error: 'must not be empty' }],
    [optionalText, '', { value: '' }],
    [list, ' a, ,b,a ', { value: ['a', 'b'] }],
  ] as const)('%#: %j', (parse, input, expected) => {
    expect((parse as (t: string) => unknown)(input)).toEqual(expected);
  });
});

describe('optionHelp', () => {
  const help = optionHelp(TABLE, { usage: 'Usage: sample', about: 'About.', footer: 'Footer.' });

  it('lists every option with its variable and default, then help', () => {
    for (const o of Object.values(TABLE)) {
      expect(help).toContain(`--${o.flag}`);
      expect(help).toContain(o.description);
      if (o.env) expect(help).toContain(o.env);
    }
    expect(help).toMatch(/--port\s+S_PORT\s+default 80\n/);
    expect(help).toMatch(/--name <name>\s+S_NAME\s+default anonymous\n/);
    expect(help).toMatch(/--secret\s+S_SECRET\s+\(required\)\n/);
    expect(help).toMatch(/--note\s+default none\n/);
    expect(help).toMatch(/-h, --help\s+show this help\n/);
    expect(help.startsWith('Usage: sample\n\nAbout.\n')).toBe(true);
    expect(help.endsWith('\nFooter.\n')).toBe(true);
  });

  it('indents every line of a description alike', () => {
    const two = optionHelp(
      { a: { flag: 'a', description: 'one\ntwo', parse: text } } as OptionTable<{ a: string }>,
      {
        usage: 'u',
      },
    );
    const [one, second] = two.split('\n').filter((l) => l.endsWith('one') || l.endsWith('two'));
    expect(one!.indexOf('one')).toBe(second!.indexOf('two'));
  });
});
