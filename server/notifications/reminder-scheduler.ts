/**
 * The reminder scheduler: every REMINDER_SCAN_INTERVAL_MS it fires the
 * reminders that came due — a task due within TASK_DUE_SOON_WINDOW_MS, a task
 * overdue, a customer's follow-up date reached, a contract's renewal date
 * (server/contracts/contract-renewal.ts) — each once (state in the
 * database, see reminder.repository.ts). Started and stopped with the server.
 */
import type { Locale } from '../../schema/wire/user.ts';
import type { AppContext } from '../context.ts';
import { linkTo } from './notification.ts';
import { type ReminderKind, reminderText } from './notification-text.ts';
import { DeliveryQueue, type Trx } from './notifier.ts';
import { fireRenewalBatch } from '../contracts/contract-renewal.ts';
import { claimDueFollowups, claimDueTasks, markFollowupReminded, markTaskReminded } from './reminder.repository.ts';

export const REMINDER_SCAN_INTERVAL_MS = 30_000;
/** A task's "due soon" reminder fires this long before its due time. */
export const TASK_DUE_SOON_WINDOW_MS = 15 * 60_000;
/** Follow-up dates older than this when first seen (e.g. after a long outage, or imported history) are not reminded. */
export const FOLLOWUP_REMINDER_LOOKBACK_MS = 7 * 24 * 60 * 60_000;
/** Rows claimed per transaction. */
export const REMINDER_BATCH_SIZE = 100;
/** Upper bound of batches per pass, so one pass cannot run unbounded. */
export const REMINDER_MAX_BATCHES_PER_PASS = 50;

export interface ReminderSchedulerOptions {
  intervalMs?: number;
  /** Set false to not start it (e.g. a test that runs passes by hand). */
  enabled?: boolean;
}

export interface ReminderScheduler {
  /** Runs one pass now (waits for a running one first); returns how many reminders fired. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** The recipient's language, if they are still an active member of the team the reminder is about. */
async function recipientLocale(trx: Trx, userId: string, teamId: string): Promise<Locale | null> {
  const u = await trx.selectFrom('users').select(['locale', 'active', 'team_id']).where('id', '=', userId).executeTakeFirst();
  return u?.active && u.team_id === teamId ? u.locale : null;
}

async function fireTaskBatch(ctx: AppContext, now: Date): Promise<number> {
  const queue = new DeliveryQueue();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const due = await claimDueTasks(trx, now, new Date(now.getTime() + TASK_DUE_SOON_WINDOW_MS), REMINDER_BATCH_SIZE);
    for (const task of due) {
      const overdue = task.dueAt.getTime() <= now.getTime();
      await markTaskReminded(trx, task.id, overdue ? 'overdue' : 'due_soon', now);
      const locale = await recipientLocale(trx, task.assigneeId, task.teamId);
      if (!locale) continue;
      const kind: ReminderKind = overdue ? 'task_overdue' : 'task_due_soon';
      const text = reminderText(locale, kind, task.title, task.dueAt);
      const entity = { type: 'task' as const, id: task.id };
      queue.add(
        await ctx.notifier.notify(trx, {
          recipientId: task.assigneeId,
          type: 'reminder',
          title: text.title,
          body: text.body,
          link: linkTo(entity),
          entity,
        }),
      );
    }
    return due.length;
  });
  queue.flush();
  return claimed;
}

async function fireFollowupBatch(ctx: AppContext, now: Date): Promise<number> {
  const queue = new DeliveryQueue();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const due = await claimDueFollowups(trx, now, new Date(now.getTime() - FOLLOWUP_REMINDER_LOOKBACK_MS), REMINDER_BATCH_SIZE);
    for (const f of due) {
      if (!(await markFollowupReminded(trx, f.customerId, f.dueAt, now))) continue;
      const locale = await recipientLocale(trx, f.ownerId, f.teamId);
      if (!locale) continue;
      const text = reminderText(locale, 'followup_due', f.name, f.dueAt);
      const entity = { type: 'customer' as const, id: f.customerId };
      queue.add(
        await ctx.notifier.notify(trx, {
          recipientId: f.ownerId,
          type: 'reminder',
          title: text.title,
          body: text.body,
          link: linkTo(entity),
          entity,
        }),
      );
    }
    return due.length;
  });
  queue.flush();
  return claimed;
}

/** One pass over everything due at `ctx.now()`. */
export async function runReminderPass(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  let fired = 0;
  const fireRenewals = (c: AppContext, at: Date) => fireRenewalBatch(c, at, REMINDER_BATCH_SIZE);
  for (const batch of [fireTaskBatch, fireFollowupBatch, fireRenewals]) {
    for (let i = 0; i < REMINDER_MAX_BATCHES_PER_PASS; i++) {
      const n = await batch(ctx, now);
      fired += n;
      if (n < REMINDER_BATCH_SIZE) break;
    }
  }
  return fired;
}

export function startReminderScheduler(ctx: AppContext, opts: ReminderSchedulerOptions = {}): ReminderScheduler {
  const intervalMs = opts.intervalMs ?? REMINDER_SCAN_INTERVAL_MS;
  let running: Promise<number> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const runOnce = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    running = runReminderPass(ctx);
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        const fired = await runOnce();
        ctx.log.debug({ fired }, 'reminder pass');
      } catch (err) {
        ctx.log.warn({ err }, 'reminder pass failed');
      }
      schedule();
    }, intervalMs);
    timer.unref();
  };
  if (opts.enabled !== false) schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running.catch(() => 0);
    },
  };
}
