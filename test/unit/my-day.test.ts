import { describe, expect, it } from 'vitest';
import { parsePresenceResource } from '../../schema/wire/socket-events.ts';
import { presenceList, presenceRoom, presenceUsersOf, resourceOfRoom } from '../../server/socket/presence-list.ts';
import { TokenBucket } from '../../server/socket/socket-rate-limit.ts';
import { type Actor, can } from '../../schema/policy/access.ts';
import { bucketMyDay, dayBounds, isValidTimeZone, taskResource } from '../../server/tasks/task.ts';

describe('dayBounds', () => {
  it.each([
    ['2026-03-10T20:00:00Z', 'UTC', '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['2026-03-10T20:00:00Z', 'Asia/Shanghai', '2026-03-10T16:00:00.000Z', '2026-03-11T16:00:00.000Z'],
    // The day New York moves to summer time is 23 hours long.
    ['2026-03-08T12:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['2026-11-01T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    ['2026-06-30T23:30:00Z', 'Asia/Kolkata', '2026-06-30T18:30:00.000Z', '2026-07-01T18:30:00.000Z'],
    ['2026-12-31T23:30:00Z', 'Pacific/Auckland', '2026-12-31T11:00:00.000Z', '2027-01-01T11:00:00.000Z'],
  ])('%s in %s', (now, tz, start, end) => {
    const b = dayBounds(new Date(now), tz);
    expect(b.start.toISOString()).toBe(start);
    expect(b.end.toISOString()).toBe(end);
  });

  it('validates zone names', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
    expect(isValidTimeZone('Asia/Shanghai\n')).toBe(false);
  });
});

describe('bucketMyDay', () => {
  it('sorts by due time into overdue, today and upcoming (undated last)', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const end = new Date('2026-03-11T00:00:00Z');
    const t = (name: string, due: string | null) => ({ name, dueAt: due ? new Date(due) : null });
    const r = bucketMyDay(
      [t('none', null), t('later', '2026-03-12T00:00:00Z'), t('tonight', '2026-03-10T20:00:00Z'), t('late', '2026-03-09T00:00:00Z'), t('at end', '2026-03-11T00:00:00Z'), t('now', '2026-03-10T12:00:00Z')],
      now,
      end,
    );
    expect(r.overdue.map((x) => x.name)).toEqual(['late']);
    expect(r.today.map((x) => x.name)).toEqual(['now', 'tonight']);
    expect(r.upcoming.map((x) => x.name)).toEqual(['at end', 'later', 'none']);
  });
});

describe('task permissions', () => {
  const task = { team_id: 'A', assignee_id: 'r1', created_by: 'm1' };
  const canSeeTask = (a: Actor, t: typeof task) => can(a, 'read', taskResource(t));
  const canEditTask = (a: Actor, t: typeof task) => can(a, 'write', taskResource(t));
  it('team sees, assignee/creator/manager edit, other teams see nothing', () => {
    expect(canSeeTask({ id: 'r2', role: 'rep', teamId: 'A' }, task)).toBe(true);
    expect(canEditTask({ id: 'r2', role: 'rep', teamId: 'A' }, task)).toBe(false);
    expect(canEditTask({ id: 'r1', role: 'rep', teamId: 'A' }, task)).toBe(true);
    expect(canEditTask({ id: 'm2', role: 'manager', teamId: 'A' }, task)).toBe(true);
    expect(canSeeTask({ id: 'm3', role: 'manager', teamId: 'B' }, task)).toBe(false);
    expect(canEditTask({ id: 'm3', role: 'manager', teamId: 'B' }, task)).toBe(false);
    expect(canSeeTask({ id: 'x', role: 'rep', teamId: null }, task)).toBe(false);
    expect(canEditTask({ id: 'a', role: 'admin', teamId: null }, task)).toBe(true);
  });
});

describe('socket rules', () => {
  it('token bucket: a burst, then the refill rate', () => {
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(499)).toBe(false);
    expect(b.take(500)).toBe(true);
    expect(b.take(500)).toBe(false);
  });

  it('presence list: a user once across tabs and nodes, sorted by name then id; only well-formed answers', () => {
    const list = presenceList([
      { id: 'u', name: 'U' },
      { id: 'b', name: 'A' },
      { id: 'u', name: 'U' },
      { id: 'a', name: 'A' },
    ]);
    expect(list).toEqual([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'A' },
      { id: 'u', name: 'U' },
    ]);
    expect(presenceUsersOf([{ id: 'x', name: 'X' }, { id: 1, name: 'Y' }, null, 'z'])).toEqual([{ id: 'x', name: 'X' }]);
    expect(presenceUsersOf('not a list')).toEqual([]);
    const id = '0b6f3c2e-8a1d-4c3b-9f2e-1a2b3c4d5e6f';
    expect(resourceOfRoom(presenceRoom(id, `board:${id}`))).toBe(`board:${id}`);
    expect(resourceOfRoom(presenceRoom(id, 'customers'))).toBe('customers');
    expect(resourceOfRoom(`user:${id}`)).toBeNull();
    expect(resourceOfRoom(`presence:${id}:team:${id}`)).toBeNull();
  });

  it('presence resource grammar', () => {
    const id = '0B6F3C2E-8A1D-4C3B-9F2E-1A2B3C4D5E6F';
    expect(parsePresenceResource(`customer:${id}`)).toEqual({ kind: 'customer', id: id.toLowerCase() });
    expect(parsePresenceResource(`board:${id}`)).toEqual({ kind: 'board', id: id.toLowerCase() });
    expect(parsePresenceResource('customers')).toEqual({ kind: 'customers' });
    for (const bad of ['customer:', 'customer:1', `team:${id}`, `customer:${id}:x`, 'customers:', '']) {
      expect(parsePresenceResource(bad)).toBeNull();
    }
  });
});
