import { parse } from 'csv-parse/sync';
import { parseBirthDate } from './dates.js';
import type { LinkedPair } from './linker.js';
import type { ColumnMapping, PersonRecord } from './schemas.js';

export class MappingError extends Error {}

export interface ReadResult {
  records: PersonRecord[];
  /** Dates of birth present but not in the mapping's format: read as missing. */
  unreadableDates: number;
}

/** The columns a mapping names. */
export function mappedColumns(m: ColumnMapping): string[] {
  const single = [m.record_id, m.given_name, m.surname, m.full_name, m.date_of_birth?.column, m.nhs_number, m.identifier, m.email, m.town, m.postcode, m.sex];
  return [...single, ...(m.address ?? [])].filter((c): c is string => !!c);
}

/** Reads an agency's CSV file into records by role; only the mapped columns are read (never labels). */
export function readRecords(text: string, mapping: ColumnMapping, fileName = 'the file'): ReadResult {
  // Rows as arrays (about twice as fast as objects), the header giving each column's position.
  const [header = [], ...rows] = parse(text, { trim: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const position = new Map(header.map((name, i) => [name, i]));
  const absent = mappedColumns(mapping).filter((c) => !position.has(c));
  if (absent.length) throw new MappingError(`${fileName} has no column ${absent.map((c) => `"${c}"`).join(', ')} (its columns: ${header.join(', ')})`);
  let unreadableDates = 0;
  const seen = new Set<string>();
  const records = rows.map((row, n): PersonRecord => {
    const value = (column: string | undefined) => (column ? row[position.get(column)!] || undefined : undefined);
    const id = value(mapping.record_id) ?? '';
    if (!id) throw new MappingError(`${fileName}, row ${n + 2}: the record id ("${mapping.record_id}") is empty`);
    if (seen.has(id)) throw new MappingError(`${fileName}, row ${n + 2}: the record id "${id}" appears twice`);
    seen.add(id);
    const names = mapping.full_name ? splitFullName(value(mapping.full_name)) : { given_name: value(mapping.given_name), surname: value(mapping.surname) };
    const dobText = value(mapping.date_of_birth?.column);
    const dob = dobText && mapping.date_of_birth ? parseBirthDate(dobText, mapping.date_of_birth.format) : null;
    if (dobText && !dob) unreadableDates++;
    const address = (mapping.address ?? []).map((c) => value(c)).filter((l): l is string => !!l);
    return {
      id,
      ...names,
      date_of_birth: dob ? `${dob.digits.slice(0, 4)}-${dob.digits.slice(4, 6)}-${dob.digits.slice(6)}` : undefined,
      nhs_number: value(mapping.nhs_number),
      identifier: value(mapping.identifier),
      email: value(mapping.email),
      address: address.length ? address : undefined,
      town: value(mapping.town),
      postcode: value(mapping.postcode),
      sex: value(mapping.sex),
    };
  });
  return { records, unreadableDates };
}

/** "Mary Ann Smith" → given name "Mary", surname "Smith"; one word is a surname. */
export function splitFullName(full: string | undefined): Pick<PersonRecord, 'given_name' | 'surname'> {
  const words = (full ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { surname: words[0] };
  return { given_name: words[0], surname: words[words.length - 1] };
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** PAIRS.csv: one row per linked pair. */
export function pairsCsv(pairs: readonly LinkedPair[]): string {
  const lines = ['id_l,id_r,match_probability'];
  for (const p of pairs) lines.push(`${quote(p.left)},${quote(p.right)},${p.probability.toFixed(6)}`);
  return `${lines.join('\n')}\n`;
}
