/**
 * Splits one CSV line into fields, honouring a quote character with doubled quotes inside
 * (RFC 4180). Returns null when a quote opens and never closes on this line. Used for headers and
 * sniffing; bulk rows are split by the store's SQL with the same rules.
 */
export function splitCsvLine(line: string, delimiter: string, quote: string | null): string[] | null {
  if (!quote || !line.includes(quote)) return line.split(delimiter);
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === quote) {
        if (line[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
    } else if (ch === quote && field === "") quoted = true;
    else if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = "";
      i += delimiter.length;
      continue;
    } else field += ch;
    i += 1;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
