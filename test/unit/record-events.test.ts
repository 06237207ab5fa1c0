/** Live-list events are coalesced to one per record per projection run (server/notifications/record-events.ts). */
import { describe, expect, it } from 'vitest';
import { coalesceRecordChanges } from '../../server/notifications/record-events.ts';

describe('coalesceRecordChanges', () => {
  it('keeps one change per record: the first previous owner and the last state', () => {
    const out = coalesceRecordChanges([
      { entity: 'customer', id: 'c1', teamId: 't', ownerId: 'b', previousOwnerId: 'a' },
      { entity: 'customer', id: 'c2', teamId: 't', ownerId: 'a' },
      { entity: 'customer', id: 'c1', teamId: 't', ownerId: 'c', previousOwnerId: 'b' },
      { entity: 'task', id: 'c1', teamId: 't', ownerId: 'a' },
    ]);
    expect(out).toEqual([
      { entity: 'customer', id: 'c1', teamId: 't', ownerId: 'c', previousOwnerId: 'a' },
      { entity: 'customer', id: 'c2', teamId: 't', ownerId: 'a' },
      { entity: 'task', id: 'c1', teamId: 't', ownerId: 'a' },
    ]);
  });

  it('a plain edit after a reassignment still names the previous owner', () => {
    const [one] = coalesceRecordChanges([
      { entity: 'opportunity', id: 'o', teamId: 't', ownerId: 'b', previousOwnerId: 'a' },
      { entity: 'opportunity', id: 'o', teamId: 't', ownerId: 'b', customerId: 'x' },
    ]);
    expect(one).toEqual({ entity: 'opportunity', id: 'o', teamId: 't', ownerId: 'b', previousOwnerId: 'a', customerId: 'x' });
  });
});
