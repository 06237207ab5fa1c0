/**
 * Moving follow-up entries from one customer document to another (merge). A follow-up is
 * "written by its author" (the hub refuses a new entry whose authorId is not the sender), so
 * each author's entries are added to the target through the hub *as that author*; entries of
 * authors who can no longer write the target (deactivated, moved team) stay on the source.
 * Moved entries are then removed from the source, as the merging user.
 */
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { AppContext } from '../context.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import { REST_ORIGIN } from './customer-writer.ts';

interface FollowupCopy {
  id: string;
  authorId: string;
  values: Record<string, unknown>;
  text: string;
}

async function readFollowups(ctx: AppContext, user: User, customerId: string): Promise<FollowupCopy[]> {
  const target = await ctx.hub.authorize(customerDocName(customerId), user);
  const live = await ctx.hub.acquire(target);
  try {
    const out: FollowupCopy[] = [];
    for (const entry of live.doc.getArray(CUSTOMER_ROOTS.followups).toArray()) {
      if (!(entry instanceof Y.Map)) continue;
      const id = entry.get('id');
      const authorId = entry.get('authorId');
      if (typeof id !== 'string' || typeof authorId !== 'string') continue;
      const values: Record<string, unknown> = {};
      for (const key of ['type', 'at', 'nextAt'] as const) if (entry.has(key)) values[key] = entry.get(key);
      const text = entry.get('text');
      out.push({ id, authorId, values, text: text instanceof Y.Text ? text.toString() : '' });
    }
    return out;
  } finally {
    ctx.hub.release(live);
  }
}

/** Returns how many entries moved and how many stayed on the source. */
export async function moveFollowups(ctx: AppContext, user: User, sourceId: string, targetId: string): Promise<{ moved: number; kept: number }> {
  const entries = await readFollowups(ctx, user, sourceId);
  if (entries.length === 0) return { moved: 0, kept: 0 };
  const byAuthor = new Map<string, FollowupCopy[]>();
  for (const e of entries) byAuthor.set(e.authorId, [...(byAuthor.get(e.authorId) ?? []), e]);
  const moved = new Set<string>();
  for (const [authorId, list] of byAuthor) {
    const author = authorId === user.id ? user : await findUserById(ctx.db, authorId);
    if (!author?.active) continue;
    try {
      await ctx.hub.edit(
        customerDocName(targetId),
        author,
        (doc) => {
          const followups = doc.getArray(CUSTOMER_ROOTS.followups);
          const existing = new Set(followups.toArray().map((m) => (m instanceof Y.Map ? m.get('id') : null)));
          for (const e of list) {
            if (existing.has(e.id)) continue;
            const m = new Y.Map<unknown>();
            m.set('id', e.id);
            m.set('authorId', e.authorId);
            for (const [k, v] of Object.entries(e.values)) m.set(k, v);
            m.set('text', new Y.Text(e.text));
            followups.push([m]);
          }
        },
        { origin: REST_ORIGIN },
      );
      for (const e of list) moved.add(e.id);
    } catch (err) {
      ctx.log.info({ err, authorId, sourceId, targetId }, 'follow-ups of this author stay on the merged customer');
    }
  }
  if (moved.size > 0) {
    await ctx.hub.edit(
      customerDocName(sourceId),
      user,
      (doc) => {
        const followups = doc.getArray(CUSTOMER_ROOTS.followups);
        for (let i = followups.length - 1; i >= 0; i--) {
          const m = followups.get(i);
          if (m instanceof Y.Map && moved.has(m.get('id') as string)) followups.delete(i, 1);
        }
      },
      { origin: REST_ORIGIN },
    );
  }
  return { moved: moved.size, kept: entries.length - moved.size };
}
