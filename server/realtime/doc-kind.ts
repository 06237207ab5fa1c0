/**
 * A kind of live document (`customer`, `board`, …): who may open it, what
 * its shape is, and which relational rows mirror it. The hub knows nothing
 * about any kind: the app builds each kind with what it needs (its database,
 * …) and hands them to the hub at bootstrap (doc-kinds.ts).
 */
import type { Transaction } from 'kysely';
import type * as Y from 'yjs';
import type { Database } from '../../schema/types.ts';
import type { DocKindName } from '../../schema/wire/docs.ts';
import type { AppError } from '../http/app-error.ts';
import type { User } from '../users/user.ts';

/** 'hidden' answers 404: the record does not exist, or its existence must not show. */
export type DocAccess = 'write' | 'read' | 'hidden';

/** Any shared type; Yjs types its event parameter per type, which no common type expresses. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type SharedType = Y.AbstractType<any>;

/** A map key's change, as Yjs reports it (`oldValue` is the value before this update). */
export interface KeyChange {
  action: 'add' | 'update' | 'delete';
  oldValue: unknown;
}

/**
 * What one update changed in one shared type that existed before it. Types
 * created by the update itself report no change of their own: they arrive
 * as `added` content of their parent and are validated whole.
 */
export interface TypeChange {
  /** The root type's name this type lives under. */
  root: string;
  target: SharedType;
  /** Map-like keys changed (Y.Map keys, XML attributes), with their previous values. */
  keys: ReadonlyMap<string, KeyChange>;
  /** List content (array items, text, XML children) changed. */
  listChanged: boolean;
  /** Values inserted into a Y.Array target (those still present). */
  added: readonly unknown[];
  /** The items this update inserted into the target's list. */
  addedItems: readonly Y.Item[];
  /**
   * What this update deleted from a Y.Array target that was there before it, read while the
   * event was live (deleted content is collected after): a Y.Map entry as an object of its plain
   * values, any other value as itself.
   */
  removed: readonly unknown[];
}

/** What a document kind refuses of an update (compensate.ts restores it). */
export type RefusedPart =
  /** These keys of a map (attributes of an XML element) return to their values before the update. */
  | { of: SharedType; keys: readonly string[] }
  /** The type's whole content returns to what it was before the update (a type the update created is removed). */
  | { of: SharedType; content: true }
  /** Everything the update changed. */
  | 'all';

/**
 * A refused part of an update and why: the hub restores the part (see
 * compensate.ts), keeps the rest, and tells the sender the reason.
 */
export interface Refusal {
  /** 400 with the field (shape) or 403 (permission). */
  error: AppError;
  part: RefusedPart;
}

export interface DocChange {
  /** The record id (the part of the document name after the colon). */
  id: string;
  user: User;
  /** The document with the update applied: a scratch copy, not yet shared with anyone. */
  after: Y.Doc;
  /** What the update still changes (refused parts already restored are left out). */
  changes: readonly TypeChange[];
  /**
   * Keeps a note about this update for its projection (e.g. the cards it
   * touched); `extract` receives the notes of every update it covers. Only
   * the notes of the validation that accepts the update count.
   */
  note(value: unknown): void;
  /**
   * Asks for this update's projection without waiting out the projection
   * window (an assignment whose owner should hear of it at once). Counts,
   * like a note, only from the validation that accepts the update.
   */
  prompt(): void;
}

/**
 * The unit of work of a projection: the projection run's transaction, shared
 * by every document the run projects, and what their projections may ask of
 * it. `Event` is what the kind's projections emit.
 */
export interface UnitOfWork<Event = never> {
  readonly trx: Transaction<Database>;
  /** The run's time (the engine's clock). */
  readonly now: Date;
  /** Runs `fn` once the transaction has committed; never when it rolls back. */
  afterCommit(fn: () => void): void;
  /**
   * Hands an event (an assignment, a mention, …) to the listeners registered
   * with the kinds (doc-kinds.ts). They run before this resolves, in this
   * transaction: what they write commits or rolls back with the projection.
   */
  emit(event: Event): Promise<void>;
}

/** Listens to the events projections emit; runs in the projection's transaction (`uow.trx`). */
export type DocEventListener<Event> = (event: Event, uow: UnitOfWork<Event>) => Promise<void>;

/**
 * A kind of document. Built by the app with what it needs (a database, …),
 * by closure: the engine hands it only the document's values.
 */
export interface DocKind<Projection = unknown, Event = never> {
  name: DocKindName;
  /** Root types and their constructors, defined on every loaded copy so types never depend on the first update. */
  roots: Readonly<Record<string, 'map' | 'array' | 'text' | 'xml'>>;
  access(user: User, id: string): Promise<DocAccess>;
  /**
   * Checks an update against the shape and the sender's permissions. Returns
   * the first refused part with its reason, or null when all of it may stay.
   * The hub restores that part and asks again with what the update still
   * changes, until nothing is refused. Must stay cheap: look only at
   * `changes`, never at the whole document.
   */
  validate(change: DocChange): Promise<Refusal | null>;
  /**
   * The values the relational projection needs, read synchronously from the
   * stored state of the document, after the updates are committed: once per
   * document per projection run, covering every update stored so far.
   * `notes`: what `validate` noted of each update since the last projection,
   * oldest first; null when unknown (a document loaded to be projected again,
   * or changed by another node): read everything then.
   */
  extract(doc: Y.Doc, now: Date, notes: readonly unknown[] | null): Projection;
  /**
   * Writes the projections of the run's documents of this kind with
   * `uow.trx`, in the run's own transaction (after the updates are stored).
   * All of them at once, so that a kind can write them in a few multi-row
   * statements rather than a few statements per document.
   */
  project(uow: UnitOfWork<Event>, docs: ReadonlyArray<Projected<Projection>>): Promise<void>;
}

/** One document's projection in a run. */
export interface Projected<Projection> {
  /** The record id (the part of the document name after the colon). */
  id: string;
  projection: Projection;
  /** Whose update the projection covers last; null when unknown (projected again after a restart, or another node's). */
  user: User | null;
}
