/** Search text shared by every module that stores a normalized copy for LIKE search. */

/** Search text: lower case, ё → е, single spaces (SQLite's lower()/LIKE fold only Latin letters). */
export function normalizeText(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** A LIKE pattern matching `term` anywhere, with %, _ and \ escaped (use with `escape '\'`). */
export function containsPattern(term: string): string {
  return `%${normalizeText(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
