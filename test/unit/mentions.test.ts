import { describe, expect, it } from 'vitest';
import { extractMentions, mentionExcerpt, newMentions } from '../../server/notifications/mentions.ts';
import { assignmentRecipient } from '../../server/notifications/assignment.ts';
import { decodeCursor, encodeCursor, linkTo } from '../../server/notifications/notification.ts';

const users = [
  { id: 'alice', name: 'Alice', email: 'alice@example.com' },
  { id: 'alice-chen', name: 'Alice Chen', email: 'a.chen@example.com' },
  { id: 'zhang', name: '张伟', email: 'zhangwei@example.com' },
  { id: 'wang', name: '王芳', email: 'wf@example.com' },
  { id: 'bob', name: 'Bob', email: 'bob.smith@example.com' },
];

describe('extractMentions', () => {
  it.each([
    ['@Alice please call', ['alice']],
    ['@alice chen has the file', ['alice-chen']],
    ['cc @a.chen.', ['alice-chen']],
    ['@张伟你看一下', ['zhang']],
    ['请@王芳和@张伟跟进', ['wang', 'zhang']],
    ['@bob.smith and @Bob again', ['bob']],
    ['(@Alice)', ['alice']],
    ['write to bob@example.com', []],
    ['@Alicia is not Alice', []],
    ['@Bobby', []],
    ['no mentions', []],
    ['@', []],
    ['@@alice', ['alice']],
  ])('%s', (text, expected) => {
    expect(extractMentions(text, users)).toEqual(expected);
  });

  it('names only users given (the team), each once', () => {
    expect(extractMentions('@Alice @Alice @Mallory', users)).toEqual(['alice']);
  });

  it('an edit notifies only people newly mentioned', () => {
    expect(newMentions('@Alice and @Bob', '@Alice', users)).toEqual(['bob']);
    expect(newMentions('@Alice', '@Alice and @Bob', users)).toEqual([]);
  });

  it('excerpts long text around the mention, by code point', () => {
    const long = `${'很'.repeat(500)} @张伟 ${'长'.repeat(500)}`;
    const e = mentionExcerpt(long, 100);
    expect(Array.from(e).length).toBeLessThanOrEqual(100);
    expect(e).toContain('@张伟');
  });
});

describe('assignment rules', () => {
  it('notifies the new owner unless it is the actor, nobody, or unchanged', () => {
    expect(assignmentRecipient({ actorId: 'm', recipientId: 'r' })).toBe('r');
    expect(assignmentRecipient({ actorId: 'r', recipientId: 'r' })).toBeNull();
    expect(assignmentRecipient({ actorId: 'm', recipientId: null })).toBeNull();
    expect(assignmentRecipient({ actorId: 'm', recipientId: 'r', previousRecipientId: 'r' })).toBeNull();
    expect(assignmentRecipient({ actorId: null, recipientId: 'r', previousRecipientId: 'x' })).toBe('r');
  });

  it('links to the entity page', () => {
    expect(linkTo({ type: 'customer', id: 'c1' })).toBe('/customers/c1');
    expect(linkTo({ type: 'opportunity', id: 'o1' })).toBe('/opportunities/o1');
    expect(linkTo({ type: 'task', id: 't1' })).toBe('/tasks/t1');
  });

  it('round-trips list cursors and refuses forged ones', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const id = '0b6f3c2e-8a1d-4c3b-9f2e-1a2b3c4d5e6f';
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ createdAt: at, id });
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from("2026-01-02T03:04:05.678Z|' or 1=1").toString('base64url'))).toBeNull();
  });
});
