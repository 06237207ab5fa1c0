/**
 * Keyword search terms. The database indexes `tandem_search_tokens(text)` (migrations 0004,
 * 0006): CJK unigrams and bigrams, Latin/digit trigrams. A query term is turned into
 * tokens that every text containing the term must also contain, so `search_tokens @> tokens`
 * never loses a match; a LIKE over `search_text` then checks the exact substring.
 */

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const LATIN_RUN = /[a-z0-9]+/g;
/** Phone-shaped terms ("138-1234 5678", "+86(10)") search by their digits. */
const PHONE_TERM = /^\+?[0-9][0-9()./-]*$/;
/** A query has at most this many terms; the rest are ignored. */
export const SEARCH_TERMS_MAX = 8;

export interface SearchTerm {
  /** The LIKE pattern, lower-cased by the database, with % _ \ escaped. */
  pattern: string;
  /** Tokens every match contains (may be empty: then only the LIKE decides). */
  tokens: string[];
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function grams(word: string, n: number): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  return out;
}

/** The tokens a term needs: the longest grams the index holds for each run. */
export function termTokens(term: string): string[] {
  const tokens = new Set<string>();
  for (const run of term.match(CJK_RUN) ?? []) {
    for (const g of grams(run, [...run].length >= 2 ? 2 : 1)) tokens.add(g);
  }
  for (const run of term.toLowerCase().match(LATIN_RUN) ?? []) {
    for (const g of grams(run, 3)) tokens.add(g);
  }
  return [...tokens];
}

/** The same tokens the database computes for a stored text (for tests and bulk seeding). */
export function textTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const run of text.match(CJK_RUN) ?? []) {
    for (const g of [...grams(run, 1), ...grams(run, 2)]) tokens.add(g);
  }
  for (const run of text.toLowerCase().match(LATIN_RUN) ?? []) {
    for (const g of grams(run, 3)) tokens.add(g);
  }
  return [...tokens];
}

/** Splits a keyword query into terms; all of them must match (AND). */
export function parseSearch(q: string | undefined): SearchTerm[] {
  if (!q) return [];
  const terms = q
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, SEARCH_TERMS_MAX)
    .map((raw) => (PHONE_TERM.test(raw) && /\d{2}/.test(raw.replace(/\D/g, '')) ? raw.replace(/\D/g, '') : raw));
  return [...new Set(terms)].map((term) => ({ pattern: `%${escapeLike(term)}%`, tokens: termTokens(term) }));
}
