/**
 * A strict RFC 4180 reader for the export tests: quoted fields, doubled quotes, CRLF row ends. Anything else (a
 * bare LF, a quote inside an unquoted field, text after a closing quote, an unterminated quote, rows of unequal
 * width) throws, so a malformed export fails its test instead of being read leniently.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        wasQuoted = true;
      } else field += c;
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      if (rows.length > 0 && row.length !== rows[0]!.length)
        throw new Error(`row ${rows.length} has ${row.length} fields, the header ${rows[0]!.length}`);
      rows.push(row);
      row = [];
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`);
    else if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
    else field += c;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('the last row does not end with CRLF');
  return rows;
}
