/**
 * Renewal reminders of contracts, fired by the reminder scheduler
 * (server/notifications/reminder-scheduler.ts) like task reminders: due rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and marked in the transaction that stores the notification, so
 * each fires once, whichever node's pass takes it, across restarts too. The reminder goes to
 * the owner of the contract's opportunity and links to the opportunity.
 */
import type { AppContext } from '../context.ts';
import { linkTo } from '../notifications/notification.ts';
import { reminderText } from '../notifications/notification-text.ts';
import { DeliveryQueue, type Trx } from '../notifications/notifier.ts';

export interface DueRenewal {
  contractId: string;
  number: string;
  teamId: string;
  opportunityId: string;
  ownerId: string | null;
  remindAt: Date;
}

/** Contracts whose renewal reminder date was reached and not yet reminded; locked for this transaction. */
export async function claimDueRenewals(trx: Trx, now: Date, limit: number): Promise<DueRenewal[]> {
  const rows = await trx
    .selectFrom('contracts as k')
    .innerJoin('opportunities as o', 'o.id', 'k.opportunity_id')
    .select(['k.id', 'k.number', 'k.team_id', 'k.opportunity_id', 'o.owner_id', 'k.renewal_remind_at'])
    .where('k.renewal_remind_at', 'is not', null)
    .where('k.renewal_remind_at', '<=', now)
    .where('k.renewal_reminded_at', 'is', null)
    .where('k.status', '!=', 'terminated')
    .orderBy('k.renewal_remind_at')
    .limit(limit)
    .forUpdate('k')
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    contractId: r.id,
    number: r.number,
    teamId: r.team_id,
    opportunityId: r.opportunity_id,
    ownerId: r.owner_id,
    remindAt: r.renewal_remind_at!,
  }));
}

/** Claims, marks and notifies one batch; returns how many were claimed. */
export async function fireRenewalBatch(ctx: AppContext, now: Date, limit: number): Promise<number> {
  const queue = new DeliveryQueue();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const due = await claimDueRenewals(trx, now, limit);
    for (const c of due) {
      // Marked even when nobody can be told (no owner, owner gone): the date has passed.
      await trx
        .updateTable('contracts')
        .set({ renewal_reminded_at: now })
        .where('id', '=', c.contractId)
        .where('renewal_reminded_at', 'is', null)
        .execute();
      if (!c.ownerId) continue;
      const u = await trx.selectFrom('users').select(['locale', 'active', 'team_id']).where('id', '=', c.ownerId).executeTakeFirst();
      if (!u?.active || u.team_id !== c.teamId) continue;
      const text = reminderText(u.locale, 'contract_renewal', c.number, c.remindAt);
      const entity = { type: 'opportunity' as const, id: c.opportunityId };
      queue.add(
        await ctx.notifier.notify(trx, { recipientId: c.ownerId, type: 'reminder', title: text.title, body: text.body, link: linkTo(entity), entity }),
      );
    }
    return due.length;
  });
  queue.flush();
  return claimed;
}

