/**
 * Renaming, merging and deleting tags across the workspace (docs/team-operations.md).
 *
 * A tag lives in each customer's document (`getMap('tags')`), so a retag is a job that
 * rewrites those documents through the hub — the one write path — in batches: open pages
 * see their tags change live, and the projection (`customers.tags`) follows each edit.
 * The job runs inside the request; each batch is awaited before the next is read, which
 * bounds the documents held in memory at once.
 */
import type { TagJobResultDto } from '../../schema/wire/admin-lists.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { customersWithTags } from './tag.repository.ts';

/** Customer documents read and rewritten per batch. */
export const RETAG_BATCH = 50;
/** Documents of a batch edited at the same time. */
export const RETAG_CONCURRENCY = 5;
const TAG_ORIGIN = 'tag-admin';

export type Retag = { kind: 'rename'; from: string; to: string } | { kind: 'merge'; tags: string[]; into: string } | { kind: 'delete'; tag: string };

function sourcesAndTarget(op: Retag): { from: string[]; into: string | null } {
  switch (op.kind) {
    case 'rename':
      return { from: op.from === op.to ? [] : [op.from], into: op.to };
    case 'merge':
      return { from: [...new Set(op.tags)].filter((t) => t !== op.into), into: op.into };
    case 'delete':
      return { from: [op.tag], into: null };
    default: {
      const never: never = op;
      throw new Error(`unknown retag ${JSON.stringify(never)}`);
    }
  }
}

export async function retag(ctx: AppContext, actor: User, op: Retag): Promise<TagJobResultDto> {
  if (!can(actor, 'administer', WORKSPACE)) throw forbidden('Only admins rename, merge or delete tags');
  const { from, into } = sourcesAndTarget(op);
  if (from.length === 0) {
    throw op.kind === 'rename' ? badRequest('to: the new name is the old one', 'to') : badRequest('tags: name a tag other than the one kept', 'tags');
  }
  const sources = new Set(from);
  let updated = 0;
  let afterId: string | null = null;
  for (;;) {
    const ids = await customersWithTags(ctx.db, from, afterId, RETAG_BATCH);
    if (ids.length === 0) break;
    afterId = ids[ids.length - 1]!;
    for (let i = 0; i < ids.length; i += RETAG_CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + RETAG_CONCURRENCY).map((id) =>
          ctx.hub.edit(
            customerDocName(id),
            actor,
            (doc) => {
              const tags = doc.getMap(CUSTOMER_ROOTS.tags);
              let had = false;
              for (const t of [...tags.keys()]) {
                if (!sources.has(t)) continue;
                tags.delete(t);
                had = true;
              }
              if (had && into !== null && !tags.has(into)) tags.set(into, true);
            },
            { origin: TAG_ORIGIN },
          ),
        ),
      );
    }
    updated += ids.length;
  }
  await recordAudit(ctx.db, {
    actor_id: actor.id,
    team_id: null,
    action: `tag-${op.kind}`,
    entity_type: 'tag',
    entity_id: into ?? from[0]!,
    changes: { from, into, customers: updated },
  });
  return { updated };
}
