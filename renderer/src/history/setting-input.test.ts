import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACK_SETTINGS } from '../../../contract/track/settings.js';
import { fieldRange, fieldText, parseField } from './setting-input.js';

describe('track settings fields', () => {
  it('ranges come from the contract limits, in typed units', () => {
    expect(fieldRange('gapMs')).toEqual([0.5, 1440]);
    expect(fieldRange('stopRadiusM')).toEqual([5, 1000]);
    expect(fieldRange('stopMinMs')).toEqual([0.5, 360]);
  });
  it.each([
    ['gapMs', '0', undefined],
    ['gapMs', '-3', undefined],
    ['gapMs', '0.4', undefined],
    ['gapMs', '', undefined],
    ['gapMs', 'abc', undefined],
    ['gapMs', '1441', undefined],
    ['gapMs', '0.5', 30_000],
    ['gapMs', '30', 1_800_000],
    ['stopRadiusM', '0', undefined],
    ['stopRadiusM', '4', undefined],
    ['stopRadiusM', '5', 5],
    ['stopRadiusM', '1001', undefined],
    ['stopMinMs', '0', undefined],
    ['stopMinMs', '3', 180_000],
  ] as const)('%s %j → %j', (field, text, expected) => {
    expect(parseField(field, text)).toBe(expected);
  });
  it('shows settings in typed units', () => {
    expect(fieldText('gapMs', DEFAULT_TRACK_SETTINGS)).toBe('5');
    expect(fieldText('stopRadiusM', DEFAULT_TRACK_SETTINGS)).toBe('50');
  });
});
