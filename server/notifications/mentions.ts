/**
 * @mentions in free text. Pure.
 *
 * A mention is `@` (at the start, after a CJK character, or after a character
 * that is not a letter, digit, `_` or `.`, so `bob@acme.com` is not one) followed by a teammate's
 * display name or the local part of their e-mail address, case-insensitive.
 * The longest matching candidate wins (`@Alice Chen` over `@Alice`). A Latin
 * candidate must end at a word boundary; a candidate ending in a CJK
 * character need not, because Chinese is written without spaces
 * (`@张伟你看一下` mentions 张伟).
 */

export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

export const MENTION_MIN_LENGTH = 2;

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const BEFORE_AT_FORBIDDEN = /[\p{L}\p{N}_.]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

interface Alias {
  text: string;
  id: string;
}

function aliasesOf(users: MentionCandidate[]): Alias[] {
  const out: Alias[] = [];
  for (const u of users) {
    const name = u.name.trim().toLowerCase();
    if (Array.from(name).length >= MENTION_MIN_LENGTH || CJK.test(name)) out.push({ text: name, id: u.id });
    const local = u.email.split('@')[0]?.toLowerCase() ?? '';
    if (local.length >= MENTION_MIN_LENGTH && local !== name) out.push({ text: local, id: u.id });
  }
  // Longest first, so the most specific alias wins.
  return out.sort((a, b) => b.text.length - a.text.length);
}

/** Ids of the users mentioned in `text`, each once, in order of first mention. */
export function extractMentions(text: string, users: MentionCandidate[]): string[] {
  if (!text.includes('@') || users.length === 0) return [];
  const aliases = aliasesOf(users);
  const lower = text.toLowerCase();
  const found: string[] = [];
  let at = lower.indexOf('@');
  while (at >= 0) {
    const before = at > 0 ? lower[at - 1]! : '';
    if (!before || !BEFORE_AT_FORBIDDEN.test(before) || CJK.test(before)) {
      const rest = lower.slice(at + 1);
      for (const alias of aliases) {
        if (!rest.startsWith(alias.text)) continue;
        const next = rest.slice(alias.text.length, alias.text.length + 2);
        const lastChar = Array.from(alias.text).pop() ?? '';
        const nextChar = Array.from(next)[0] ?? '';
        if (!CJK.test(lastChar) && nextChar && WORD_CHAR.test(nextChar)) continue;
        if (!found.includes(alias.id)) found.push(alias.id);
        break;
      }
    }
    at = lower.indexOf('@', at + 1);
  }
  return found;
}

/** Mentions in `text` that were not already in `previous` (an edit notifies only newly mentioned people). */
export function newMentions(text: string, previous: string, users: MentionCandidate[]): string[] {
  const before = new Set(extractMentions(previous, users));
  return extractMentions(text, users).filter((id) => !before.has(id));
}

export const MENTION_EXCERPT_MAX = 200;

/** A short excerpt around the first mention, for the notification body. */
export function mentionExcerpt(text: string, max = MENTION_EXCERPT_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  const at = Math.max(0, Array.from(flat.slice(0, Math.max(0, flat.indexOf('@')))).length - Math.floor(max / 4));
  const slice = chars.slice(at, at + max - 2).join('');
  return `${at > 0 ? '…' : ''}${slice}…`;
}
