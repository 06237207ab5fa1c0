/** The pure time helpers of the notification and task screens. */
import { describe, expect, it } from 'vitest';
import { notificationTime } from '../../client/src/notifications/notification-time.ts';
import { dueText, fromLocalInput, toLocalInput } from '../../client/src/tasks/task-time.ts';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('notificationTime', () => {
  it('says how long ago, in the interface language', () => {
    expect(notificationTime('2026-11-28T11:59:30Z', NOW, 'en')).toBe('now');
    expect(notificationTime('2026-11-28T11:55:00Z', NOW, 'en')).toBe('5 minutes ago');
    expect(notificationTime('2026-11-28T09:00:00Z', NOW, 'en')).toBe('3 hours ago');
    expect(notificationTime('2026-11-27T11:00:00Z', NOW, 'en')).toBe('yesterday');
    expect(notificationTime('2026-11-28T11:55:00Z', NOW, 'zh-CN')).toBe('5分钟前');
  });

  it('shows the date for older ones, and nothing for a bad timestamp', () => {
    expect(notificationTime('2026-10-01T08:00:00Z', NOW, 'en')).toMatch(/2026/);
    expect(notificationTime('not a date', NOW, 'en')).toBe('');
  });

  it('never says "in n minutes" for a clock slightly ahead on the server', () => {
    expect(notificationTime('2026-11-28T12:00:05Z', NOW, 'en')).toBe('now');
  });
});

describe('task due times', () => {
  it('round-trips a datetime-local value through ISO 8601', () => {
    const iso = fromLocalInput('2026-12-01T09:30');
    expect(iso).toMatch(/^2026-12-0[12]T\d\d:30:00\.000Z$/);
    expect(toLocalInput(iso!)).toBe('2026-12-01T09:30');
  });

  it('reads empty as no due time and garbage as invalid', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow-ish')).toBeUndefined();
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('garbage')).toBe('');
  });

  it('shows only the time for today, the date and time otherwise', () => {
    const dayStart = '2026-11-28T00:00:00Z';
    const dayEnd = '2026-11-29T00:00:00Z';
    expect(dueText('2026-11-28T15:00:00Z', 'en', dayStart, dayEnd)).not.toMatch(/2026/);
    expect(dueText('2026-11-30T15:00:00Z', 'en', dayStart, dayEnd)).toMatch(/2026/);
  });
});
