/**
 * Stable reasons a raw fix is refused: the label values of the relay's drop metric, and the per-fix refusal codes
 * of the ingest API. Kept free of imports so the mini-program (no Node, no zod) can type-check against it.
 */
export const FIX_REJECT_REASONS = [
  'too_large',
  'not_json',
  'not_object',
  'missing_uid',
  'bad_uid',
  'missing_coordinates',
  'bad_coordinates',
  'out_of_range',
  'bad_ts',
  'bad_field',
] as const;
export type FixRejectReason = (typeof FIX_REJECT_REASONS)[number];
