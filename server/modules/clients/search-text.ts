/**
 * Normalised search text and search queries for clients and contacts.
 * The text is lower-case with ё → е, words only; phones as digits with and without the country code;
 * e-mails whole and split into words; ИНН/ОГРН as numbers. SQLite indexes it with FTS5 (unicode61),
 * PostgreSQL with to_tsvector('russian') || to_tsvector('simple'); both are queried by word prefixes.
 */

export function normalizeWords(s: string | null | undefined): string[] {
  if (!s) return [];
  return (
    s
      .toLowerCase()
      .replace(/ё/g, 'е')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function phoneTokens(e164: string): string[] {
  const digits = e164.replace(/\D/g, '');
  const out = [digits];
  // +7 zone: also the 10-digit national number, so «9123456789» and «8 912…» find it.
  if (digits.length === 11 && digits.startsWith('7')) out.push(digits.slice(1));
  return out;
}

function emailTokens(email: string): string[] {
  const e = email.toLowerCase().replace(/ё/g, 'е');
  return [e, ...normalizeWords(e)];
}

export function buildSearchText(parts: {
  words?: (string | null | undefined)[];
  numbers?: (string | null | undefined)[];
  phones?: string[];
  emails?: string[];
}): string {
  const tokens = new Set<string>();
  for (const w of parts.words ?? []) for (const t of normalizeWords(w)) tokens.add(t);
  for (const n of parts.numbers ?? []) if (n) tokens.add(n.toLowerCase());
  for (const p of parts.phones ?? []) for (const t of phoneTokens(p)) tokens.add(t);
  for (const e of parts.emails ?? []) for (const t of emailTokens(e)) tokens.add(t);
  return [...tokens].join(' ');
}

/**
 * A parsed query: AND of groups, each an OR of prefixes. A query made only of digits and phone punctuation
 * («8 (912) 345-67-89», «+7912…») is one number: its digits, and with a leading 8 also the same with 7.
 */
export type SearchQuery = string[][];

export function parseSearchQuery(q: string): SearchQuery {
  const trimmed = q.trim();
  if (!trimmed) return [];
  if (/^[\d\s()+\-.]+$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (!digits) return [];
    const variants = [digits];
    if (digits.startsWith('8') && digits.length > 1) variants.push('7' + digits.slice(1));
    return [variants];
  }
  return normalizeWords(trimmed)
    .slice(0, 8)
    .map((w) => [w]);
}

/** FTS5 MATCH expression: `"ром"* "ооо"*`, groups as `("8912"* OR "7912"*)`. Tokens are letters/digits only. */
export function ftsMatch(query: SearchQuery): string {
  return query.map((group) => (group.length === 1 ? `"${group[0]}"*` : `(${group.map((t) => `"${t}"*`).join(' OR ')})`)).join(' ');
}
