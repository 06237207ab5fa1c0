/**
 * @mention suggestions in notes and follow-ups. Pure: which `@query` the caret
 * is in, which teammates it matches, and the text that replaces it. What is
 * inserted is `@` and the teammate's display name, which the server's
 * mention detection (server/notifications/mentions.ts) recognises.
 */
import { pinyinInitials } from '../ui/pinyin-initials.ts';

/** Suggestions shown at once. */
export const MENTION_SUGGESTIONS_MAX = 6;
/** Characters after `@` still read as a query (longer: plain text, no list). */
export const MENTION_QUERY_MAX = 24;

export interface MentionUser {
  id: string;
  name: string;
  email: string;
}

/** An `@query` ending at the caret: `start` is the index of the `@`. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** Before `@`, as on the server: start of text, or a character that is not a letter, digit, `_` or `.` (Han is allowed). */
const BEFORE_AT_FORBIDDEN = /[\p{L}\p{N}_.]/u;
const HAN = /\p{Script=Han}/u;

/** The `@query` the caret ends, in the text before the caret; null when there is none. */
export function mentionQueryAt(before: string): MentionQuery | null {
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (query.length > MENTION_QUERY_MAX || /[\s@]/u.test(query)) return null;
  const prev = at > 0 ? before[at - 1]! : '';
  if (prev && BEFORE_AT_FORBIDDEN.test(prev) && !HAN.test(prev)) return null;
  return { start: at, query };
}

/** How well a user matches: lower is better, null is no match. */
function rank(u: MentionUser, q: string): number | null {
  if (q === '') return 3;
  const name = u.name.toLowerCase();
  if (name.startsWith(q)) return 0;
  const words = name.split(/\s+/u).filter(Boolean);
  if (words.some((w) => w.startsWith(q))) return 1;
  // Initials: 陈静 → cj, Wendy Fox → wf.
  if (pinyinInitials(u.name).startsWith(q) || (words.length > 1 && words.map((w) => w[0]).join('').startsWith(q))) return 1;
  if (u.email.toLowerCase().split('@')[0]!.startsWith(q)) return 2;
  if (name.includes(q)) return 2;
  return null;
}

/** Teammates matching `query` by name, a word of it, initials (陈静 ← cj, Wendy Fox ← wf) or e-mail, best first. */
export function matchMentionUsers<U extends MentionUser>(query: string, users: readonly U[], max = MENTION_SUGGESTIONS_MAX): U[] {
  const q = query.trim().toLowerCase();
  return users
    .map((u) => ({ u, r: rank(u, q) }))
    .filter((x): x is { u: U; r: number } => x.r !== null)
    .sort((a, b) => a.r - b.r || a.u.name.localeCompare(b.u.name))
    .slice(0, max)
    .map((x) => x.u);
}

/** The text that replaces `@query`: the mention and a space to type on. */
export function mentionText(u: MentionUser): string {
  return `@${u.name} `;
}
