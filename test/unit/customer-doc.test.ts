import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FOLLOWUP_TEXT_MAX_CHARS, NOTES_MAX_CHARS, TAGS_MAX } from '../../schema/wire/docs.ts';
import {
  checkCustomerChanges,
  customerAccess,
  fieldProblem,
  isIsoDateTime,
  newFollowupProblem,
  nextFollowupAt,
  notesProblem,
  readCustomerDoc,
  tagProblem,
} from '../../server/customers/customer-doc.ts';
import type { TypeChange } from '../../server/realtime/doc-kind.ts';
import { toTypeChange } from '../../server/realtime/document.ts';

const TEAM = 'team-a';
const rep = { id: 'u-rep', role: 'rep' as const, teamId: TEAM };
const manager = { id: 'u-mgr', role: 'manager' as const, teamId: TEAM };
const admin = { id: 'u-adm', role: 'admin' as const, teamId: null };

describe('customer document access', () => {
  it('same team writes, other teams do not see it, admins see all, archived is read-only for reps', () => {
    const row = { teamId: TEAM, archivedAt: null };
    expect(customerAccess(rep, row)).toBe('write');
    expect(customerAccess({ id: 'u-b', role: 'rep', teamId: 'team-b' }, row)).toBe('hidden');
    expect(customerAccess({ id: 'u-none', role: 'manager', teamId: null }, row)).toBe('hidden');
    expect(customerAccess(admin, row)).toBe('write');
    expect(customerAccess(rep, null)).toBe('hidden');
    const archived = { teamId: TEAM, archivedAt: new Date() };
    expect(customerAccess(rep, archived)).toBe('read');
    expect(customerAccess(manager, archived)).toBe('write');
  });
});

describe('field, tag and follow-up values', () => {
  it('fields: known names, text within caps, a non-empty name, a kind of company/person, an owner id', () => {
    expect(fieldProblem('name', 'Acme')).toBeNull();
    expect(fieldProblem('name', ' ')).toMatchObject({ field: 'name' });
    expect(fieldProblem('name', undefined)).toMatchObject({ field: 'name' });
    expect(fieldProblem('industry', undefined)).toBeNull();
    expect(fieldProblem('industry', 42)).toMatchObject({ field: 'industry' });
    expect(fieldProblem('phone', '1'.repeat(40))).toBeNull();
    expect(fieldProblem('phone', '1'.repeat(41))).toMatchObject({ field: 'phone' });
    expect(fieldProblem('kind', 'person')).toBeNull();
    expect(fieldProblem('kind', 'robot')).toMatchObject({ field: 'kind' });
    expect(fieldProblem('ownerId', null)).toBeNull();
    expect(fieldProblem('ownerId', 'not-an-id')).toMatchObject({ field: 'ownerId' });
    expect(fieldProblem('salary', '1')).toMatchObject({ field: 'fields.salary' });
  });

  it('tags: trimmed, capped, mapped to true', () => {
    expect(tagProblem('price sensitive', true)).toBeNull();
    expect(tagProblem('高潜力', true)).toBeNull();
    expect(tagProblem(' x', true)).not.toBeNull();
    expect(tagProblem('', true)).not.toBeNull();
    expect(tagProblem('x'.repeat(41), true)).not.toBeNull();
    expect(tagProblem('x', 'yes')).not.toBeNull();
    expect(tagProblem('x', undefined)).toBeNull();
  });

  it('ISO date-times', () => {
    expect(isIsoDateTime('2026-01-05T10:00:00.000Z')).toBe(true);
    expect(isIsoDateTime('2026-01-05T10:00+08:00')).toBe(true);
    expect(isIsoDateTime('2026-13-45T10:00:00Z')).toBe(false);
    expect(isIsoDateTime('tomorrow')).toBe(false);
    expect(isIsoDateTime(1767607200000)).toBe(false);
  });

  it('a new follow-up is complete, typed, and written by its author', () => {
    const doc = new Y.Doc();
    const arr = doc.getArray('followups');
    const make = (over: Record<string, unknown> = {}) => {
      const m = new Y.Map<unknown>();
      const base: Record<string, unknown> = { id: 'f1', type: 'call', authorId: rep.id, at: '2026-01-05T10:00:00Z', text: new Y.Text('hi'), ...over };
      for (const [k, v] of Object.entries(base)) if (v !== undefined) m.set(k, v);
      arr.push([m]);
      return m;
    };
    expect(newFollowupProblem(make(), rep)).toBeNull();
    expect(newFollowupProblem(make({ nextAt: '2026-02-01T09:00:00Z' }), rep)).toBeNull();
    expect(newFollowupProblem(make({ authorId: manager.id }), rep)).toMatchObject({ field: 'followups.authorId' });
    expect(newFollowupProblem(make({ type: 'fax' }), rep)).toMatchObject({ field: 'followups.type' });
    expect(newFollowupProblem(make({ at: 'soon' }), rep)).toMatchObject({ field: 'followups.at' });
    expect(newFollowupProblem(make({ text: 'plain' }), rep)).toMatchObject({ field: 'followups.text' });
    expect(newFollowupProblem(make({ text: undefined }), rep)).toMatchObject({ field: 'followups.text' });
    expect(newFollowupProblem(make({ text: new Y.Text('x'.repeat(FOLLOWUP_TEXT_MAX_CHARS + 1)) }), rep)).toMatchObject({
      field: 'followups.text',
    });
    expect(newFollowupProblem(make({ mood: 'happy' }), rep)).toMatchObject({ field: 'followups.mood' });
    expect(newFollowupProblem('just text', rep)).toMatchObject({ field: 'followups' });
  });

  it('notes: rich-text elements and text within the cap', () => {
    const doc = new Y.Doc();
    const notes = doc.getXmlFragment('notes');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Met the buyer')]);
    notes.insert(0, [p]);
    expect(notesProblem(notes)).toBeNull();
    const bad = new Y.XmlElement('script tag');
    notes.insert(1, [bad]);
    expect(notesProblem(notes)).toMatchObject({ field: 'notes' });
    notes.delete(1, 1);
    notes.insert(1, [new Y.XmlText('x'.repeat(NOTES_MAX_CHARS))]);
    expect(notesProblem(notes)).toMatchObject({ field: 'notes' });
  });
});

/** Applies `change` to a copy of `base` and returns what Yjs reports, as the hub does. */
function changesOf(base: Y.Doc, change: (d: Y.Doc) => void): { after: Y.Doc; changes: TypeChange[] } {
  const after = new Y.Doc();
  after.getMap('fields');
  after.getMap('tags');
  after.getXmlFragment('notes');
  after.getArray('followups');
  Y.applyUpdate(after, Y.encodeStateAsUpdate(base));
  const changes: TypeChange[] = [];
  for (const root of ['fields', 'tags', 'notes', 'followups']) {
    after.share.get(root)!.observeDeep((events) => {
      for (const ev of events) changes.push(toTypeChange(root, ev));
    });
  }
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(copy);
  change(copy);
  Y.applyUpdate(after, Y.encodeStateAsUpdate(copy, sv));
  return { after, changes };
}

describe('checking a customer update', () => {
  const base = new Y.Doc();
  base.getMap('fields').set('name', 'Acme');
  base.getMap('fields').set('ownerId', '11111111-1111-4111-8111-111111111111');

  const check = (user: typeof rep | typeof manager, change: (d: Y.Doc) => void) => {
    const { after, changes } = changesOf(base, change);
    return checkCustomerChanges(after, changes, user);
  };

  it('refuses a website that is not a safe link, and names the field', () => {
    expect(check(rep, (d) => d.getMap('fields').set('website', 'javascript:alert(1)//x.com')).problem).toMatchObject({ status: 400, field: 'website' });
    expect(check(rep, (d) => d.getMap('fields').set('website', 'https://acme.example')).problem).toBeNull();
    expect(check(rep, (d) => d.getMap('fields').set('website', 'acme.example')).problem).toBeNull();
  });

  it('accepts plain edits', () => {
    expect(check(rep, (d) => d.getMap('fields').set('industry', 'Retail')).problem).toBeNull();
    expect(check(rep, (d) => d.getMap('tags').set('vip', true)).problem).toBeNull();
  });

  it('only managers change ownerId, and the new owner is reported for the team check', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    expect(check(rep, (d) => d.getMap('fields').set('ownerId', other)).problem).toMatchObject({ status: 403, field: 'ownerId' });
    expect(check(manager, (d) => d.getMap('fields').set('ownerId', other))).toEqual({ problem: null, newOwnerId: other, customUsers: [] });
    // Writing the same owner again is no change of owner.
    expect(check(rep, (d) => d.getMap('fields').set('ownerId', '11111111-1111-4111-8111-111111111111')).problem).toBeNull();
  });

  // Foreign roots never reach the kind: the hub refuses them as malformed (test/realtime/update-safety.test.ts).
  it('refuses nested types in fields, and too many tags', () => {
    expect(check(rep, (d) => d.getMap('fields').set('needs', new Y.Text('x'))).problem).toMatchObject({ field: 'needs' });
    expect(
      check(rep, (d) => {
        for (let i = 0; i <= TAGS_MAX; i++) d.getMap('tags').set(`t${i}`, true);
      }).problem,
    ).toMatchObject({ field: 'tags' });
  });
});

describe('projection values', () => {
  it('next follow-up: the earliest date ahead, else the latest one', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const d = (s: string) => new Date(s);
    expect(nextFollowupAt([d('2026-07-01T00:00:00Z'), d('2026-06-10T00:00:00Z'), d('2026-05-01T00:00:00Z')], now)).toEqual(d('2026-06-10T00:00:00Z'));
    expect(nextFollowupAt([d('2026-05-01T00:00:00Z'), d('2026-04-01T00:00:00Z')], now)).toEqual(d('2026-05-01T00:00:00Z'));
    expect(nextFollowupAt([], now)).toBeNull();
  });

  it('reads fields, sorted tags and the next follow-up from a document', () => {
    const doc = new Y.Doc();
    doc.getMap('fields').set('name', '华为技术有限公司');
    doc.getMap('fields').set('phone', '+86 (755) 2878-0808');
    doc.getMap('tags').set('b', true);
    doc.getMap('tags').set('a', true);
    const f = new Y.Map<unknown>();
    f.set('nextAt', '2026-07-01T00:00:00Z');
    doc.getArray('followups').push([f]);
    const p = readCustomerDoc(doc, new Date('2026-06-01T00:00:00Z'));
    expect(p.fields.name).toBe('华为技术有限公司');
    expect(p.tags).toEqual(['a', 'b']);
    expect(p.ownerId).toBeNull();
    expect(p.nextFollowupAt).toEqual(new Date('2026-07-01T00:00:00Z'));
  });
});
