/** The words of service records: types, channels, statuses, age buckets. */
import { msg } from '@lit/localize';
import type { ServiceAgeBucket, ServiceChannel, ServiceStatus, ServiceType } from '../../../schema/wire/service-records.ts';

export function typeLabel(t: ServiceType): string {
  switch (t) {
    case 'complaint':
      return msg('Complaint', { id: 'service.type.complaint' });
    case 'request':
      return msg('Request', { id: 'service.type.request' });
    case 'feedback':
      return msg('Feedback', { id: 'service.type.feedback' });
    case 'maintenance':
      return msg('Maintenance', { id: 'service.type.maintenance' });
    case 'visit':
      return msg('Visit', { id: 'service.type.visit' });
    default:
      return t satisfies never;
  }
}

export function channelLabel(c: ServiceChannel): string {
  switch (c) {
    case 'phone':
      return msg('Phone', { id: 'service.channel.phone' });
    case 'email':
      return msg('E-mail', { id: 'service.channel.email' });
    case 'visit':
      return msg('On site', { id: 'service.channel.visit' });
    case 'chat':
      return msg('Chat', { id: 'service.channel.chat' });
    case 'other':
      return msg('Other', { id: 'service.channel.other' });
    default:
      return c satisfies never;
  }
}

export function statusLabel(s: ServiceStatus): string {
  switch (s) {
    case 'open':
      return msg('Open', { id: 'service.status.open' });
    case 'in_progress':
      return msg('In progress', { id: 'service.status.inProgress' });
    case 'resolved':
      return msg('Resolved', { id: 'service.status.resolved' });
    case 'closed':
      return msg('Closed', { id: 'service.status.closed' });
    default:
      return s satisfies never;
  }
}

/** The badge class of a status. */
export function statusBadge(s: ServiceStatus): string {
  return s === 'open' ? 'danger' : s === 'in_progress' ? 'primary' : s === 'resolved' ? 'success' : '';
}

export function ageLabel(b: ServiceAgeBucket): string {
  switch (b) {
    case '0-2':
      return msg('0–2 days', { id: 'service.age.0' });
    case '3-7':
      return msg('3–7 days', { id: 'service.age.3' });
    case '8-30':
      return msg('8–30 days', { id: 'service.age.8' });
    case '31+':
      return msg('Over 30 days', { id: 'service.age.31' });
    default:
      return b satisfies never;
  }
}

/** Whether an unresolved record is past its due date. */
export function isOverdue(r: { status: ServiceStatus; dueAt: string | null }, now = Date.now()): boolean {
  return (r.status === 'open' || r.status === 'in_progress') && r.dueAt !== null && Date.parse(r.dueAt) < now;
}
