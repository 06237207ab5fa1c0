/**
 * Handing a user's book over: who gets what. Pure — takes the records and the choice of
 * recipients, answers the new owner of each. Customers go by category when asked (a mapping
 * category → recipient), else round-robin over the recipients; an opportunity, task or
 * service record follows its customer's new owner when that customer moves in the same
 * handover, and takes the next recipient in turn otherwise.
 */
import type { HandoverCounts, HandoverSplit } from '../../schema/wire/handover.ts';

export interface BookRecord {
  id: string;
  /** The customer it belongs to (null for a task without one; a customer's own id for itself). */
  customerId: string | null;
}

export interface Book {
  customers: (BookRecord & { category: string })[];
  opportunities: BookRecord[];
  tasks: BookRecord[];
  serviceRecords: BookRecord[];
}

export type Plan = { [K in keyof Book]: Array<{ id: string; to: string }> };

export interface PlanChoice {
  to: readonly string[];
  split: HandoverSplit;
  categories: Readonly<Record<string, string>>;
}

export function planHandover(book: Book, choice: PlanChoice): Plan {
  let turn = 0;
  const next = (): string => {
    const id = choice.to[turn % choice.to.length]!;
    turn++;
    return id;
  };
  const customerOwner = new Map<string, string>();
  const customers = book.customers.map((c) => {
    const mapped = choice.split === 'category' ? choice.categories[c.category] : undefined;
    const to = mapped ?? next();
    customerOwner.set(c.id, to);
    return { id: c.id, to };
  });
  const follow = (records: BookRecord[]) =>
    records.map((r) => ({ id: r.id, to: (r.customerId && customerOwner.get(r.customerId)) || next() }));
  return {
    customers,
    opportunities: follow(book.opportunities),
    tasks: follow(book.tasks),
    serviceRecords: follow(book.serviceRecords),
  };
}

export function countsOf(plan: Plan): HandoverCounts {
  return {
    customers: plan.customers.length,
    opportunities: plan.opportunities.length,
    tasks: plan.tasks.length,
    serviceRecords: plan.serviceRecords.length,
  };
}

/** What each recipient gets, in the order of `to` (then any recipient only named by category). */
export function sharesOf(plan: Plan, to: readonly string[]): Array<HandoverCounts & { userId: string }> {
  const shares = new Map<string, HandoverCounts & { userId: string }>();
  for (const id of to) shares.set(id, { userId: id, customers: 0, opportunities: 0, tasks: 0, serviceRecords: 0 });
  for (const key of ['customers', 'opportunities', 'tasks', 'serviceRecords'] as const) {
    for (const { to: userId } of plan[key]) {
      const s = shares.get(userId) ?? { userId, customers: 0, opportunities: 0, tasks: 0, serviceRecords: 0 };
      s[key]++;
      shares.set(userId, s);
    }
  }
  return [...shares.values()];
}
