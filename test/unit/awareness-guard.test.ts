import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { type AwarenessUser, awarenessUserOf, peerColor } from '../../schema/wire/presence.ts';
import {
  type AwarenessHolder,
  MAX_AWARENESS_IDS_PER_CONNECTION,
  awarenessHolder,
  guardAwareness,
} from '../../server/realtime/awareness-guard.ts';
import { decodeClientMessage, encodeAwareness, encodeAwarenessEntries } from '../../server/realtime/protocol.ts';

const ME: AwarenessUser = awarenessUserOf({ id: 'u-1', name: 'Rep Ren', role: 'rep' });
const MAX = 1024;

function sender(holders: Record<number, AwarenessHolder> = {}, held = 0) {
  return { user: ME, held, holderOf: (id: number) => holders[id] ?? 'nobody' };
}

describe('guardAwareness', () => {
  it('writes the session user over whatever the state claims', () => {
    const v = guardAwareness([{ clientId: 1, clock: 1, state: { user: { id: 'admin', name: 'Admin', role: 'admin' }, cursor: 7 } }], sender(), MAX);
    expect(v).toEqual({ ok: true, entries: [{ clientId: 1, clock: 1, state: { user: ME, cursor: 7 } }] });
    expect(ME).toEqual({ id: 'u-1', name: 'Rep Ren', color: peerColor('u-1'), role: 'rep' });
  });

  it('a state that names nobody stays anonymous', () => {
    const v = guardAwareness(
      [
        { clientId: 1, clock: 1, state: {} },
        { clientId: 2, clock: 1, state: { user: { id: 'someone', name: '' }, x: 1 } },
        { clientId: 3, clock: 1, state: { user: 'Admin' } },
      ],
      sender(),
      MAX,
    );
    expect(v).toEqual({
      ok: true,
      entries: [
        { clientId: 1, clock: 1, state: {} },
        { clientId: 2, clock: 1, state: { x: 1 } },
        { clientId: 3, clock: 1, state: {} },
      ],
    });
  });

  it('drops entries about ids someone else holds: set, add or remove', () => {
    const v = guardAwareness(
      [
        { clientId: 1, clock: 9, state: { user: { name: 'Admin' } } },
        { clientId: 2, clock: 9, state: null },
        { clientId: 3, clock: 2, state: { user: { name: 'Me' } } },
      ],
      sender({ 1: 'other', 2: 'other', 3: 'self' }, 1),
      MAX,
    );
    expect(v).toEqual({ ok: true, entries: [{ clientId: 3, clock: 2, state: { user: ME } }] });
  });

  it('removes only its own entries; removing one nobody holds is dropped', () => {
    const v = guardAwareness(
      [
        { clientId: 3, clock: 3, state: null },
        { clientId: 4, clock: 3, state: null },
      ],
      sender({ 3: 'self' }, 1),
      MAX,
    );
    expect(v).toEqual({ ok: true, entries: [{ clientId: 3, clock: 3, state: null }] });
  });

  it(`claims at most ${MAX_AWARENESS_IDS_PER_CONNECTION} ids per connection, counting those held`, () => {
    const entries = [10, 11, 12, 13, 14].map((clientId) => ({ clientId, clock: 1, state: {} }));
    const fresh = guardAwareness(entries, sender(), MAX);
    expect(fresh.ok && fresh.entries.map((e) => e.clientId)).toEqual([10, 11, 12, 13]);
    const holdingThree = guardAwareness(entries, sender({}, 3), MAX);
    expect(holdingThree.ok && holdingThree.entries.map((e) => e.clientId)).toEqual([10]);
    // An id claimed earlier in the same message is its own for the rest of it.
    const twice = guardAwareness([{ clientId: 10, clock: 1, state: {} }, { clientId: 10, clock: 2, state: null }], sender({}, 3), MAX);
    expect(twice.ok && twice.entries).toHaveLength(2);
  });

  it('drops states that are not JSON objects', () => {
    const v = guardAwareness(
      [2, 'x', [1], true].map((state, i) => ({ clientId: i + 1, clock: 1, state })),
      sender(),
      MAX,
    );
    expect(v).toEqual({ ok: true, entries: [] });
  });

  it('refuses a message with a state over the cap, measured in UTF-8 after the rewrite', () => {
    expect(guardAwareness([{ clientId: 1, clock: 1, state: { pad: 'x'.repeat(MAX) } }], sender(), MAX)).toEqual({
      ok: false,
      reason: 'Awareness state too large',
    });
    // 400 characters, 1200 bytes.
    expect(guardAwareness([{ clientId: 1, clock: 1, state: { pad: '€'.repeat(400) } }], sender(), MAX).ok).toBe(false);
    // An oversized state about someone else's id is dropped before it is measured.
    expect(guardAwareness([{ clientId: 1, clock: 1, state: { pad: 'x'.repeat(MAX) } }], sender({ 1: 'other' }), MAX).ok).toBe(true);
  });
});

describe('awarenessHolder', () => {
  it("own ids, other connections' ids, other nodes' entries, the hub's own id, and free ids", () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const self = { awarenessIds: new Set([1]) };
    const other = { awarenessIds: new Set([2]) };
    // Another node's client: present, held by no local connection.
    awareness.states.set(3, { user: { name: 'Far' } });
    expect(awarenessHolder(awareness, [self, other], self, 1)).toBe('self');
    expect(awarenessHolder(awareness, [self, other], self, 2)).toBe('other');
    expect(awarenessHolder(awareness, [self, other], self, 3)).toBe('other');
    expect(awarenessHolder(awareness, [self, other], self, awareness.clientID)).toBe('other');
    expect(awarenessHolder(awareness, [self, other], self, 4)).toBe('nobody');
    awareness.destroy();
  });
});

describe('encodeAwarenessEntries', () => {
  it('reads back as it was written', () => {
    const entries = [
      { clientId: 5, clock: 3, state: { user: ME } },
      { clientId: 2 ** 31, clock: 0, state: null },
    ];
    expect(decodeClientMessage(encodeAwareness(encodeAwarenessEntries(entries)))).toMatchObject({ type: 'awareness', entries });
  });
});
