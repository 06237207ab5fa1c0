import type { Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../schema/types.ts';
import type { DocKind, UnitOfWork } from '../../server/realtime/doc-kind.ts';
import { docKindRegistry } from '../../server/realtime/doc-kinds.ts';

type Event = { type: 'ping'; n: number };

const kind = (name: 'customer' | 'board'): DocKind<null, Event> => ({
  name,
  roots: {},
  access: async () => 'write',
  validate: async () => null,
  extract: () => null,
  project: async (uow) => {
    await uow.emit({ type: 'ping', n: 1 });
    await uow.emit({ type: 'ping', n: 2 });
  },
});

function unitOfWork(dispatch: (event: unknown, uow: UnitOfWork<unknown>) => Promise<void>): { uow: UnitOfWork<unknown>; after: Array<() => void> } {
  const after: Array<() => void> = [];
  const uow: UnitOfWork<unknown> = {
    trx: {} as Transaction<Database>,
    now: new Date(0),
    afterCommit: (fn) => after.push(fn),
    emit: (event) => dispatch(event, uow),
  };
  return { uow, after };
}

describe('the registry of document kinds', () => {
  it('finds kinds by name, and refuses a name given twice', () => {
    const registry = docKindRegistry([kind('customer'), kind('board')]);
    expect(registry.get('board')?.name).toBe('board');
    expect(() => docKindRegistry([kind('customer'), kind('customer')])).toThrow(/twice/);
  });

  it('hands what a projection emits to every listener, in order, before emit resolves, with the same unit of work', async () => {
    const seen: string[] = [];
    const registry = docKindRegistry<Event>(
      [kind('customer')],
      [
        async (e, uow) => {
          seen.push(`a${e.n}`);
          uow.afterCommit(() => seen.push(`after a${e.n}`));
        },
        async (e) => {
          seen.push(`b${e.n}`);
        },
      ],
    );
    const { uow, after } = unitOfWork((event, u) => registry.dispatch(event, u));
    await registry.get('customer')!.project(uow, [{ id: 'id', projection: null, user: null }]);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
    for (const fn of after) fn();
    expect(seen.slice(4)).toEqual(['after a1', 'after a2']);
  });
});
