/**
 * The sample of a dropped message that a warn line carries, with where a member was taken out: logs are read by
 * more people than may see locations. The shape stays (which key, empty or not, what kind of value), since that
 * is what ops need to see why the message was dropped.
 */

/** Longest sample kept in a log line. */
export const SAMPLE_CHARS = 200;

const LOCATION_KEYS =
  'longitude|latitude|lon|lat|lng|altitude|speed|accuracy|horizontalAccuracy|verticalAccuracy|heading|direction';
/** A location key and its value: a JSON string, or anything up to the next delimiter. */
const LOCATION_VALUE = new RegExp(
  `("(?:${LOCATION_KEYS})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`,
  'gi',
);
/** Any decimal number left elsewhere (an array of coordinates, an unknown key, a value cut by the slice). */
const DECIMAL = /\d+\.\d*/g;

export function redactSample(message: string | Buffer): string {
  // Redact a little more than is kept, so a value cut at the end of the sample was still seen whole.
  const head = (typeof message === 'string' ? message : message.toString('utf8', 0, SAMPLE_CHARS * 2)).slice(
    0,
    SAMPLE_CHARS * 2,
  );
  return head
    .replace(LOCATION_VALUE, (_all, key: string, value: string) => `${key}${redactedValue(value)}`)
    .replace(DECIMAL, '#.#')
    .slice(0, SAMPLE_CHARS);
}

function redactedValue(value: string): string {
  if (value === '""' || value === 'null' || value === 'true' || value === 'false') return value;
  return value.startsWith('"') ? '"<redacted>"' : '<redacted>';
}
