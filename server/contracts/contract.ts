/** Contracts as domain code sees them: the DTO and the status rule. Pure. */
import type { ContractRow } from '../../schema/tables/contract.table.ts';
import type { ContractDto, ContractStatus } from '../../schema/wire/contracts.ts';
import { amountOf } from '../opportunities/opportunity.ts';

export const toContractDto = (r: ContractRow): ContractDto => ({
  id: r.id,
  opportunityId: r.opportunity_id,
  customerId: r.customer_id,
  teamId: r.team_id,
  number: r.number,
  signedAt: r.signed_at,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  value: amountOf(r.value),
  currency: r.currency,
  status: r.status,
  renewalRemindAt: r.renewal_remind_at?.toISOString() ?? null,
  renewalRemindedAt: r.renewal_reminded_at?.toISOString() ?? null,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** An active contract expires or is terminated; an expired one may be reactivated (renewed); terminated is final. */
export function canChangeContractStatus(from: ContractStatus, to: ContractStatus): boolean {
  if (from === to) return true;
  switch (from) {
    case 'active':
      return to === 'expired' || to === 'terminated';
    case 'expired':
      return to === 'active' || to === 'terminated';
    case 'terminated':
      return false;
    default: {
      const never: never = from;
      return never;
    }
  }
}
