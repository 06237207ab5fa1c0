/** The registry of live-document kinds: one line per kind. */
import type { DocKindName } from '../../schema/wire/docs.ts';
import { customerDocKind } from '../customers/customer.doc-kind.ts';
import { boardDocKind } from '../opportunities/board.doc-kind.ts';
import type { DocKind } from './doc-kind.ts';

export type DocKindRegistry = ReadonlyMap<DocKindName, DocKind>;

export function defaultDocKinds(): DocKindRegistry {
  const kinds: DocKind[] = [customerDocKind as DocKind, boardDocKind as DocKind];
  return new Map(kinds.map((k) => [k.name, k]));
}
