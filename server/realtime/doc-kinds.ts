/**
 * The registry of live-document kinds, with the listeners of the events their
 * projections emit. The app builds it at bootstrap (server/live-docs.ts) and
 * hands it to the hub, which looks kinds up by the prefix of a document name.
 */
import type { DocKindName } from '../../schema/wire/docs.ts';
import type { DocEventListener, DocKind, UnitOfWork } from './doc-kind.ts';

export interface DocKindRegistry {
  get(name: DocKindName): DocKind | undefined;
  /** Runs every listener of an event a projection emitted, one after the other, in the projection's transaction. */
  dispatch(event: unknown, uow: UnitOfWork<unknown>): Promise<void>;
}

/** Kinds whose projections emit `Event`, and the listeners of those events. A name given twice throws. */
export function docKindRegistry<Event = never>(
  kinds: ReadonlyArray<DocKind<unknown, Event>>,
  listeners: ReadonlyArray<DocEventListener<Event>> = [],
): DocKindRegistry {
  const byName = new Map<DocKindName, DocKind>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new Error(`document kind ${kind.name} registered twice`);
    byName.set(kind.name, kind);
  }
  return {
    get: (name) => byName.get(name),
    async dispatch(event, uow) {
      // Only the kinds above emit, and their projections are typed with `Event`.
      for (const listen of listeners) await listen(event as Event, uow);
    },
  };
}
