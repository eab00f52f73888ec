import { describe, expect, it } from 'vitest';
import { replaceHead, replaceSection } from './docs-section.js';

const DOC = '# Benchmarks\n\n## Store\n\nold store\n\n## Relay\n\nold relay\n';

describe('replaceSection', () => {
  it.each([
    [
      'a middle section',
      '## Store',
      '## Store\n\nnew\n',
      '# Benchmarks\n\n## Store\n\nnew\n\n## Relay\n\nold relay\n',
    ],
    [
      'the last section',
      '## Relay',
      '## Relay\n\nnew\n',
      '# Benchmarks\n\n## Store\n\nold store\n\n## Relay\n\nnew\n',
    ],
    ['a new section', '## Micro', '## Micro\n\nnew', `${DOC}\n## Micro\n\nnew\n`],
    ['a heading that is only a prefix of another', '## Rel', '## Rel\n\nx\n', `${DOC}\n## Rel\n\nx\n`],
  ])('replaces or appends %s', (_case, heading, text, expected) => {
    expect(replaceSection(DOC, heading, text)).toBe(expected);
  });

  it('replaces a section at the very start', () => {
    expect(replaceSection('## A\n\nold\n\n## B\n\nb\n', '## A', '## A\n\nnew\n')).toBe(
      '## A\n\nnew\n\n## B\n\nb\n',
    );
  });
});

describe('replaceHead', () => {
  it.each([
    ['first time', DOC, '# Benchmarks\n\n## Head\n\nh\n\n## Store\n\nold store\n\n## Relay\n\nold relay\n'],
    [
      'again, after other sections',
      '# Benchmarks\n\n## Store\n\ns\n\n## Head\n\nold head\n\n## Relay\n\nr\n',
      '# Benchmarks\n\n## Head\n\nh\n\n## Store\n\ns\n\n## Relay\n\nr\n',
    ],
    ['a doc with no sections', '# Benchmarks\n', '# Benchmarks\n\n## Head\n\nh\n'],
  ])('puts the head first: %s', (_case, doc, expected) => {
    expect(replaceHead(doc, '## Head', '## Head\n\nh\n')).toBe(expected);
  });
});
