import { describe, expect, it } from 'vitest';
import { redactSample, SAMPLE_CHARS } from './redact-sample.js';

describe('redactSample', () => {
  it.each([
    [
      'string coordinates',
      '{"uid":42,"longitude":"113.26443","latitude":"23.12"}',
      '{"uid":42,"longitude":"<redacted>","latitude":"<redacted>"}',
    ],
    ['numbers', '{"uid":"7","lon":113.2,"lat":-23}', '{"uid":"7","lon":<redacted>,"lat":<redacted>}'],
    [
      'empty stays visible',
      '{"uid":42,"longitude":"","latitude":"23"}',
      '{"uid":42,"longitude":"","latitude":"<redacted>"}',
    ],
    ['null stays visible', '{"uid":42,"longitude":null}', '{"uid":42,"longitude":null}'],
    [
      'NaN and words',
      '{"uid":1,"latitude":NaN,"longitude":"abc"}',
      '{"uid":1,"latitude":<redacted>,"longitude":"<redacted>"}',
    ],
    [
      'spaces and case',
      '{ "Latitude" : 23.1 , "LONGITUDE":"1"}',
      '{ "Latitude" : <redacted> , "LONGITUDE":"<redacted>"}',
    ],
    ['decimals elsewhere', '{"uid":1,"pos":[113.26,23.12]}', '{"uid":1,"pos":[#.#,#.#]}'],
    ['escaped quote in a value', '{"lat":"2\\"3.1","uid":5}', '{"lat":"<redacted>","uid":5}'],
    ['not JSON at all', 'lat=23.12&lon=113.2', 'lat=#.#&lon=#.#'],
    [
      'other fields kept',
      '{"uid":42,"ts":1700000000000,"crs":"gcj02","speed":3.5}',
      '{"uid":42,"ts":1700000000000,"crs":"gcj02","speed":<redacted>}',
    ],
  ])('%s', (_name, message, expected) => {
    expect(redactSample(message)).toBe(expected);
    expect(redactSample(Buffer.from(message))).toBe(expected);
  });

  it('keeps at most SAMPLE_CHARS, redacting a value the cut would have split', () => {
    const padding = 'x'.repeat(SAMPLE_CHARS - 20);
    const sample = redactSample(`{"note":"${padding}","latitude":"23.123456789"}`);
    expect(sample.length).toBeLessThanOrEqual(SAMPLE_CHARS);
    expect(sample).not.toMatch(/23\.1/);
    expect(sample).not.toMatch(/\d\.\d/);
  });
});
