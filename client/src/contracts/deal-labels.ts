/** The words for order and contract statuses, in the interface language. */
import { msg } from '@lit/localize';
import type { ContractStatus } from '../../../schema/wire/contracts.ts';
import type { OrderStatus } from '../../../schema/wire/opportunity.ts';

export function orderStatusLabel(s: OrderStatus): string {
  switch (s) {
    case 'confirmed':
      return msg('Confirmed', { id: 'order.status.confirmed' });
    case 'delivered':
      return msg('Delivered', { id: 'order.status.delivered' });
    case 'invoiced':
      return msg('Invoiced', { id: 'order.status.invoiced' });
    case 'paid':
      return msg('Paid', { id: 'order.status.paid' });
    case 'cancelled':
      return msg('Cancelled', { id: 'opp.order.cancelled' });
    default:
      return s satisfies never;
  }
}

export function contractStatusLabel(s: ContractStatus): string {
  switch (s) {
    case 'active':
      return msg('In force', { id: 'contract.status.active' });
    case 'expired':
      return msg('Expired', { id: 'contract.status.expired' });
    case 'terminated':
      return msg('Terminated', { id: 'contract.status.terminated' });
    default:
      return s satisfies never;
  }
}

/** The badge class of a status: done in green, stopped in red, the rest plain. */
export function dealBadge(s: OrderStatus | ContractStatus): string {
  if (s === 'paid' || s === 'active') return 'success';
  if (s === 'cancelled' || s === 'terminated') return 'danger';
  return '';
}
