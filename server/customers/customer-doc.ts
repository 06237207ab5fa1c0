/**
 * The rules of a `customer:<id>` document (DESIGN.md; shapes and limits in
 * schema/wire/docs.ts): who may open it, which changes keep its shape, and
 * the values its relational projection takes. Pure: no IO, `now` given.
 */
import * as Y from 'yjs';
import {
  CUSTOMER_FIELD_MAX,
  CUSTOMER_FIELDS,
  CUSTOMER_KINDS,
  CUSTOMER_ROOTS,
  DEFAULT_CUSTOMER_CATEGORY,
  type CustomerFieldName,
  FOLLOWUP_ID_MAX,
  FOLLOWUP_KEYS,
  FOLLOWUP_OUTCOME_MAX,
  FOLLOWUP_TEXT_MAX_CHARS,
  FOLLOWUP_TYPES,
  FOLLOWUPS_MAX,
  NOTES_ELEMENT_NAME_MAX,
  NOTES_MAX_CHARS,
  TAG_MAX_CHARS,
  TAGS_MAX,
} from '../../schema/wire/docs.ts';
import type { DocAccess, RefusedPart, SharedType, TypeChange } from '../realtime/doc-kind.ts';
import { type Actor, can, isManagerOrAdmin, mayAssignOwner } from '../../schema/policy/access.ts';
import { isSafeLink } from '../../schema/wire/links.ts';
import { isCanonicalUuid } from '../../schema/wire/ids.ts';
import type { CustomValue } from '../../schema/wire/custom-fields.ts';
import { type CustomRules, customKeyProblem, readCustomValues } from './customer-custom-doc.ts';

export interface CustomerAccessRow {
  teamId: string;
  archivedAt: Date | null;
}

/**
 * The policy's `read` and `write` of the customer (schema/policy/access.ts): same team
 * (admins: every team) may write; other teams do not see it; archived records are read-only for reps.
 */
export function customerAccess(user: Actor, row: CustomerAccessRow | null): DocAccess {
  if (!row) return 'hidden';
  const customer = { type: 'customer', teamId: row.teamId, ownerId: null, archived: row.archivedAt !== null } as const;
  if (!can(user, 'read', customer)) return 'hidden';
  return can(user, 'write', customer) ? 'write' : 'read';
}

/** A refused change: 400 (shape) or 403 (permission), with the field concerned. */
export interface ShapeProblem {
  status: 400 | 403;
  field: string;
  message: string;
}

/** A refused change and the part of the update that the hub restores for it. */
export interface RefusedChange extends ShapeProblem {
  part: RefusedPart;
}

export interface CustomerChangeVerdict {
  problem: RefusedChange | null;
  /** The new owner when the update changes `ownerId` to a user (to be checked against the team). */
  newOwnerId: string | null;
  /** Custom `user` fields the update sets to a user (to be checked against the team). */
  customUsers: Array<{ key: string; userId: string }>;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ELEMENT_NAME = new RegExp(`^[A-Za-z][A-Za-z0-9_-]{0,${NOTES_ELEMENT_NAME_MAX - 1}}$`);

const bad = (field: string, message: string): ShapeProblem => ({ status: 400, field, message });

/** Rich-text nesting of the notes (lists in lists in quotes…), far beyond what an editor makes. */
export const NOTES_MAX_DEPTH = 32;

export function isIsoDateTime(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 40 && ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

/** Checks one value of `fields`; undefined means the key was removed. */
export function fieldProblem(key: string, value: unknown): ShapeProblem | null {
  if (!(CUSTOMER_FIELDS as string[]).includes(key)) return bad(`fields.${key}`, `Unknown field ${key}`);
  const field = key as CustomerFieldName;
  if (value === undefined || (value === null && field === 'ownerId')) {
    return field === 'name' ? bad('name', 'The name is required') : null;
  }
  if (typeof value !== 'string') return bad(field, `${field} must be text`);
  if (value.length > CUSTOMER_FIELD_MAX[field]) return bad(field, `${field} is longer than ${CUSTOMER_FIELD_MAX[field]} characters`);
  if (field === 'name' && value.trim() === '') return bad('name', 'The name is required');
  if (field === 'kind' && !(CUSTOMER_KINDS as readonly string[]).includes(value)) return bad('kind', 'kind must be company or person');
  if (field === 'ownerId' && value !== '' && !isCanonicalUuid(value)) return bad('ownerId', 'ownerId must be a user id');
  if (field === 'website' && value !== '' && !isSafeLink(value)) return bad('website', 'A website is an http, https, mailto or tel link, or a domain');
  return null;
}

export function tagProblem(tag: string, value: unknown): ShapeProblem | null {
  if (tag.trim() === '' || tag !== tag.trim()) return bad('tags', 'A tag must be non-empty text without surrounding spaces');
  if (tag.length > TAG_MAX_CHARS) return bad('tags', `A tag is at most ${TAG_MAX_CHARS} characters`);
  if (value !== undefined && value !== true) return bad('tags', 'A tag maps to true');
  return null;
}

/** A follow-up entry added whole: every key known and well-typed, written by its author. */
export function newFollowupProblem(value: unknown, user: Pick<Actor, 'id'>): ShapeProblem | null {
  if (!(value instanceof Y.Map)) return bad('followups', 'A follow-up is a map');
  for (const key of value.keys()) {
    if (!(FOLLOWUP_KEYS as readonly string[]).includes(key)) return bad(`followups.${key}`, `Unknown follow-up key ${key}`);
  }
  const id = value.get('id');
  if (typeof id !== 'string' || id.length === 0 || id.length > FOLLOWUP_ID_MAX) return bad('followups.id', 'A follow-up needs an id');
  if (value.get('authorId') !== user.id) return bad('followups.authorId', 'A follow-up is written by its author');
  for (const key of ['type', 'at', 'nextAt', 'outcome', 'text', 'archived'] as const) {
    const p = followupValueProblem(key, value.get(key));
    if (p) return p;
  }
  if (value.get('text') === undefined) return bad('followups.text', 'A follow-up needs its text');
  return null;
}

function followupValueProblem(key: string, value: unknown): ShapeProblem | null {
  switch (key) {
    case 'type':
      return (FOLLOWUP_TYPES as readonly unknown[]).includes(value) ? null : bad('followups.type', 'Unknown follow-up type');
    case 'at':
      return isIsoDateTime(value) ? null : bad('followups.at', 'at must be an ISO date-time');
    case 'nextAt':
      return value === undefined || value === null || isIsoDateTime(value) ? null : bad('followups.nextAt', 'nextAt must be an ISO date-time');
    case 'outcome':
      return value === undefined || (typeof value === 'string' && value.length <= FOLLOWUP_OUTCOME_MAX)
        ? null
        : bad('followups.outcome', `The outcome is text of at most ${FOLLOWUP_OUTCOME_MAX} characters`);
    case 'archived':
      return value === undefined || typeof value === 'boolean' ? null : bad('followups.archived', 'archived is true or false');
    case 'text':
      if (value === undefined) return null;
      if (!(value instanceof Y.Text)) return bad('followups.text', 'The follow-up text is rich text');
      return value.length > FOLLOWUP_TEXT_MAX_CHARS ? bad('followups.text', `The follow-up text is at most ${FOLLOWUP_TEXT_MAX_CHARS} characters`) : null;
    case 'id':
    case 'authorId':
      return bad(`followups.${key}`, `A follow-up's ${key} does not change`);
    default:
      return bad(`followups.${key}`, `Unknown follow-up key ${key}`);
  }
}

/**
 * Size of the account notes, walking at most NOTES_MAX_CHARS worth of nodes:
 * text counts its characters, an element its name and attributes. Returns a
 * problem for foreign node types or a size over the cap.
 */
export function notesProblem(notes: Y.XmlFragment): ShapeProblem | null {
  let size = 0;
  const stack: Array<{ node: unknown; depth: number }> = notes.toArray().map((node) => ({ node, depth: 1 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > NOTES_MAX_DEPTH) return bad('notes', `The notes nest at most ${NOTES_MAX_DEPTH} levels`);
    if (node instanceof Y.XmlText) {
      size += node.length;
    } else if (node instanceof Y.XmlElement && !(node instanceof Y.XmlHook)) {
      if (!ELEMENT_NAME.test(node.nodeName)) return bad('notes', 'Unknown element in the notes');
      size += 1 + node.nodeName.length;
      for (const [k, v] of Object.entries(node.getAttributes() as Record<string, unknown>)) {
        if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          return bad('notes', 'Element attributes are plain values');
        }
        size += k.length + String(v).length;
      }
      for (const child of node.toArray()) stack.push({ node: child, depth: depth + 1 });
    } else {
      return bad('notes', 'The notes hold only rich-text elements and text');
    }
    if (size > NOTES_MAX_CHARS) return bad('notes', `The notes are at most ${NOTES_MAX_CHARS} characters`);
  }
  return null;
}

/**
 * Checks what an update changed in a customer document (the document given
 * is the state after it). Answers the first refused change with the part of
 * the update to restore for it: the key of a field or tag, a follow-up or
 * its key, the notes as a whole.
 */
export function checkCustomerChanges(
  doc: Y.Doc,
  changes: readonly TypeChange[],
  user: Pick<Actor, 'id' | 'role'>,
  /** The custom field definitions that apply (needed only when an update touches `custom`). */
  customRules: CustomRules = new Map(),
): CustomerChangeVerdict {
  const customUsers: CustomerChangeVerdict['customUsers'] = [];
  const verdict = (problem: RefusedChange | null, newOwnerId: string | null = null) => ({ problem, newOwnerId, customUsers });
  const refuse = (p: ShapeProblem, part: RefusedPart) => verdict({ ...p, part });
  const fields = doc.getMap(CUSTOMER_ROOTS.fields);
  const tags = doc.getMap(CUSTOMER_ROOTS.tags);
  const followups = doc.getArray(CUSTOMER_ROOTS.followups);
  const notes = doc.getXmlFragment(CUSTOMER_ROOTS.notes);
  let notesChanged = false;
  let newOwnerId: string | null = null;

  for (const ch of changes) {
    switch (ch.root) {
      case CUSTOMER_ROOTS.fields: {
        if (ch.target !== fields) return refuse(bad('fields', 'Fields hold plain values by name'), partBelow(fields, ch.target));
        if (ch.listChanged) return refuse(bad('fields', 'Fields hold plain values by name'), { of: fields, content: true });
        for (const [key, kc] of ch.keys) {
          const value = fields.get(key);
          const p = fieldProblem(key, value);
          if (p) return refuse(p, { of: fields, keys: [key] });
          if (key === 'ownerId' && (kc.oldValue ?? null) !== (value ?? null)) {
            // fieldProblem let only text or null through. The document exists once its record does: no change creates it.
            const change = { isNew: false, from: (kc.oldValue ?? null) as string | null, to: (value ?? null) as string | null };
            if (!mayAssignOwner(user, change)) {
              return refuse({ status: 403, field: 'ownerId', message: 'Only managers reassign customers' }, { of: fields, keys: [key] });
            }
            newOwnerId = typeof value === 'string' && value !== '' ? value : null;
          }
        }
        break;
      }
      case CUSTOMER_ROOTS.tags: {
        if (ch.target !== tags) return refuse(bad('tags', 'Tags map a tag to true'), partBelow(tags, ch.target));
        if (ch.listChanged) return refuse(bad('tags', 'Tags map a tag to true'), { of: tags, content: true });
        for (const key of ch.keys.keys()) {
          const p = tagProblem(key, tags.get(key));
          if (p) return refuse(p, { of: tags, keys: [key] });
        }
        if (tags.size > TAGS_MAX) {
          const added = [...ch.keys].filter(([, kc]) => kc.action === 'add').map(([k]) => k);
          return refuse(bad('tags', `At most ${TAGS_MAX} tags`), added.length > 0 ? { of: tags, keys: added } : { of: tags, content: true });
        }
        break;
      }
      case CUSTOMER_ROOTS.custom: {
        const custom = doc.getMap(CUSTOMER_ROOTS.custom);
        if (ch.target !== custom) return refuse(bad('custom', 'Custom fields hold plain values by key'), partBelow(custom, ch.target));
        if (ch.listChanged) return refuse(bad('custom', 'Custom fields hold plain values by key'), { of: custom, content: true });
        for (const [key, kc] of ch.keys) {
          const value = custom.get(key);
          const p = customKeyProblem(customRules, key, value);
          if (p) return refuse(p, { of: custom, keys: [key] });
          if (customRules.get(key)?.type === 'user' && typeof value === 'string' && value !== kc.oldValue) customUsers.push({ key, userId: value });
        }
        break;
      }
      case CUSTOMER_ROOTS.notes:
        notesChanged = true;
        break;
      case CUSTOMER_ROOTS.followups: {
        const p = followupChangeProblem(ch, followups, user) ?? followupPermissionProblem(ch, followups, user) ?? followupRemovalProblem(ch, followups, user);
        if (p) return verdict(p);
        break;
      }
      default:
        return refuse(bad(ch.root, `Unknown part ${ch.root}`), 'all');
    }
  }
  if (notesChanged) {
    const p = notesProblem(notes);
    if (p) return refuse(p, { of: notes, content: true });
  }
  return verdict(null, newOwnerId);
}

/**
 * The part to restore for unexpected content at `target` below `anchor`:
 * the key of `anchor` it lives under, or the list entry of `anchor` holding it.
 */
function partBelow(anchor: SharedType, target: SharedType): RefusedPart {
  let t = target;
  for (let depth = 0; depth < 100; depth++) {
    const item = t._item;
    if (item === null) break;
    if (item.parent === anchor) return item.parentSub !== null ? { of: anchor, keys: [item.parentSub] } : { of: t, content: true };
    t = item.parent as SharedType;
  }
  return { of: anchor, content: true };
}

/**
 * A written follow-up is changed (corrected, archived) only by its author or by a manager or
 * admin (the team check is the document's access): whoever else changes one of its keys or its
 * text is refused, and that part alone is restored.
 */
export function followupPermissionProblem(ch: TypeChange, followups: Y.Array<unknown>, user: Pick<Actor, 'id' | 'role'>): RefusedChange | null {
  if (isManagerOrAdmin(user)) return null;
  let entry: SharedType | null = ch.target;
  while (entry?._item && entry.parent !== followups) entry = entry.parent as SharedType;
  if (!(entry instanceof Y.Map) || entry.parent !== followups || entry.get('authorId') === user.id) return null;
  const problem = { status: 403 as const, field: 'followups', message: 'Only its author or a manager changes a follow-up' };
  return ch.target === entry ? { ...problem, part: { of: entry, keys: [...ch.keys.keys()] } } : { ...problem, part: { of: ch.target, content: true } };
}

/**
 * Taking a written follow-up out of the list is for its author or a manager or admin, like
 * correcting it (deleting in the interface archives it instead): whoever else removes one gets
 * the list back as it was.
 */
export function followupRemovalProblem(ch: TypeChange, followups: Y.Array<unknown>, user: Pick<Actor, 'id' | 'role'>): RefusedChange | null {
  if (ch.target !== followups || ch.removed.length === 0 || isManagerOrAdmin(user)) return null;
  const othersRemoved = ch.removed.some((v) => typeof v !== 'object' || v === null || (v as { authorId?: unknown }).authorId !== user.id);
  return othersRemoved
    ? { status: 403, field: 'followups', message: 'Only its author or a manager removes a follow-up', part: { of: followups, content: true } }
    : null;
}

function followupChangeProblem(ch: TypeChange, followups: Y.Array<unknown>, user: Pick<Actor, 'id'>): RefusedChange | null {
  const at = (p: ShapeProblem | null, part: RefusedPart): RefusedChange | null => (p ? { ...p, part } : null);
  const target = ch.target;
  if (target === followups) {
    if (ch.keys.size > 0) return at(bad('followups', 'Follow-ups are a list'), { of: followups, content: true });
    for (const value of ch.added) {
      const p = newFollowupProblem(value, user);
      // A value that is not a shared type can only be taken out with the list's other changes.
      if (p) return at(p, value instanceof Y.AbstractType ? { of: value, content: true } : { of: followups, content: true });
    }
    return followups.length > FOLLOWUPS_MAX ? at(bad('followups', `At most ${FOLLOWUPS_MAX} follow-ups`), { of: followups, content: true }) : null;
  }
  if (target instanceof Y.Map && target.parent === followups) {
    if (ch.listChanged) return at(bad('followups', 'A follow-up is a map'), { of: target, content: true });
    for (const key of ch.keys.keys()) {
      const p = followupValueProblem(key, target.get(key));
      if (p) return at(p, { of: target, keys: [key] });
    }
    return null;
  }
  if (target instanceof Y.Text && target.parent instanceof Y.Map && target.parent.parent === followups) {
    if (ch.keys.size > 0) return at(bad('followups.text', 'The follow-up text is rich text'), { of: target, content: true });
    return target.length > FOLLOWUP_TEXT_MAX_CHARS
      ? at(bad('followups.text', `The follow-up text is at most ${FOLLOWUP_TEXT_MAX_CHARS} characters`), { of: target, content: true })
      : null;
  }
  // Deeper content: restore the follow-up key (or entry) it hangs under.
  let entry: SharedType | null = target;
  while (entry?._item && entry.parent !== followups) entry = entry.parent as SharedType;
  const anchor = entry && entry.parent === followups ? entry : followups;
  return at(bad('followups', 'Unexpected content in the follow-ups'), partBelow(anchor, target));
}

// ---------------------------------------------------------------------------
// Projection values

export interface CustomerProjection {
  /** Field values present in the document (absent keys are not listed). */
  fields: Partial<Record<CustomerFieldName, string>>;
  ownerId: string | null;
  tags: string[];
  nextFollowupAt: Date | null;
  /** The follow-ups, for the activities table (timeline filters and reports). */
  followups: FollowupProjection[];
  /** Each `@` of the notes and follow-up texts with the text around it (mention notifications). */
  mentionSnippets: string[];
  /** The `custom` map's values by key (customer-custom-doc.ts). */
  custom: Record<string, CustomValue>;
}

/** Characters kept after an `@` (long enough for a name), and the most snippets kept. */
export const MENTION_SNIPPET_CHARS = 40;
export const MENTION_SNIPPETS_MAX = 200;

/** Every `@` in `text` with one character before it (mentions.ts looks at it) and MENTION_SNIPPET_CHARS after. */
export function mentionSnippets(text: string, into: string[]): void {
  for (let i = text.indexOf('@'); i !== -1 && into.length < MENTION_SNIPPETS_MAX; i = text.indexOf('@', i + 1)) {
    into.push(text.slice(Math.max(0, i - 1), i + 1 + MENTION_SNIPPET_CHARS).split('\n')[0]!);
  }
}

/** The text of the notes, paragraphs on lines of their own; iterative, so no nesting can exhaust the stack. */
function notesText(root: Y.XmlFragment, out: string[]): void {
  // Each element's children, then its line break, in document order.
  const stack: Array<Y.XmlElement | Y.XmlText | '\n'> = root.toArray().reverse() as Array<Y.XmlElement | Y.XmlText>;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === '\n') out.push('\n');
    else if (node instanceof Y.XmlText) out.push(node.toString().replace(/<[^>]*>/g, ''));
    else if (node instanceof Y.XmlElement) {
      stack.push('\n');
      const children = node.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Y.XmlElement | Y.XmlText);
    }
  }
}

/** Characters of a follow-up's text kept in its activity row. */
export const FOLLOWUP_EXCERPT_CHARS = 280;

export interface FollowupProjection {
  id: string;
  type: string;
  authorId: string | null;
  at: Date;
  nextAt: Date | null;
  outcome: string;
  excerpt: string;
  /** Deleted by someone: kept in the document, left out of the activities. */
  archived: boolean;
}

function followupProjection(entry: Y.Map<unknown>): FollowupProjection | null {
  const id = entry.get('id');
  const at = entry.get('at');
  if (typeof id !== 'string' || !isIsoDateTime(at)) return null;
  const type = entry.get('type');
  const authorId = entry.get('authorId');
  const nextAt = entry.get('nextAt');
  const outcome = entry.get('outcome');
  const text = entry.get('text');
  return {
    id,
    type: typeof type === 'string' ? type : 'other',
    authorId: typeof authorId === 'string' ? authorId : null,
    at: new Date(at),
    nextAt: isIsoDateTime(nextAt) ? new Date(nextAt) : null,
    outcome: typeof outcome === 'string' ? outcome : '',
    excerpt: text instanceof Y.Text ? text.toString().slice(0, FOLLOWUP_EXCERPT_CHARS) : '',
    archived: entry.get('archived') === true,
  };
}

/** The earliest follow-up date still ahead; when none is ahead, the latest one (overdue). */
export function nextFollowupAt(dates: readonly Date[], now: Date): Date | null {
  let earliestAhead: Date | null = null;
  let latest: Date | null = null;
  for (const d of dates) {
    if (d.getTime() >= now.getTime() && (!earliestAhead || d < earliestAhead)) earliestAhead = d;
    if (!latest || d > latest) latest = d;
  }
  return earliestAhead ?? latest;
}

export const phoneDigits = (phone: string) => phone.replace(/\D+/g, '');
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function readCustomerDoc(doc: Y.Doc, now: Date): CustomerProjection {
  const fields: Partial<Record<CustomerFieldName, string>> = {};
  const fieldsMap = doc.getMap(CUSTOMER_ROOTS.fields);
  for (const name of CUSTOMER_FIELDS) {
    const v = fieldsMap.get(name);
    if (typeof v === 'string') fields[name] = v;
  }
  const tags = [...doc.getMap(CUSTOMER_ROOTS.tags).keys()].sort();
  const dates: Date[] = [];
  const followups: FollowupProjection[] = [];
  for (const entry of doc.getArray(CUSTOMER_ROOTS.followups)) {
    if (!(entry instanceof Y.Map)) continue;
    const next = entry.get('nextAt');
    // An archived follow-up's next date is no longer planned.
    if (isIsoDateTime(next) && entry.get('archived') !== true) dates.push(new Date(next));
    const f = followupProjection(entry);
    if (f) followups.push(f);
  }
  const snippets: string[] = [];
  for (const entry of doc.getArray(CUSTOMER_ROOTS.followups)) {
    const text = entry instanceof Y.Map ? entry.get('text') : undefined;
    if (text instanceof Y.Text) mentionSnippets(text.toString(), snippets);
  }
  const notes: string[] = [];
  notesText(doc.getXmlFragment(CUSTOMER_ROOTS.notes), notes);
  mentionSnippets(notes.join(''), snippets);
  const owner = fields.ownerId;
  return {
    fields,
    ownerId: owner && owner !== '' ? owner : null,
    tags,
    nextFollowupAt: nextFollowupAt(dates, now),
    followups,
    mentionSnippets: snippets,
    custom: readCustomValues(doc.getMap(CUSTOMER_ROOTS.custom)),
  };
}

/**
 * The customers columns that mirror a document, from its projection values:
 * the one mapping used by the projection and by customers created in bulk.
 * (`name` is left to the caller: a document that never had one keeps the row's.)
 */
export function projectedColumns(p: CustomerProjection) {
  const f = p.fields;
  return {
    kind: f.kind === 'person' ? ('person' as const) : ('company' as const),
    industry: f.industry ?? '',
    size: f.size ?? '',
    phone: f.phone ?? '',
    email: f.email ?? '',
    address: f.address ?? '',
    website: f.website ?? '',
    source: f.source ?? '',
    decision_makers: f.decisionMakers ?? '',
    needs: f.needs ?? '',
    category: f.category || DEFAULT_CUSTOMER_CATEGORY,
    owner_id: p.ownerId,
    tags: p.tags,
    phone_digits: phoneDigits(f.phone ?? ''),
    email_norm: normaliseEmail(f.email ?? ''),
    next_followup_at: p.nextFollowupAt,
    mention_snippets: p.mentionSnippets,
    custom_fields: p.custom,
  };
}
