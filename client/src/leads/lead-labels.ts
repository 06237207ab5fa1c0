/** Words for lead statuses and sources, in the current language. */
import { msg } from '@lit/localize';
import type { LEAD_SOURCE_SUGGESTIONS, LeadStatus } from '../../../schema/wire/lead.ts';

export function leadStatusLabel(status: LeadStatus): string {
  switch (status) {
    case 'new':
      return msg('New', { id: 'leads.status.new' });
    case 'contacted':
      return msg('Contacted', { id: 'leads.status.contacted' });
    case 'qualified':
      return msg('Qualified', { id: 'leads.status.qualified' });
    case 'disqualified':
      return msg('Disqualified', { id: 'leads.status.disqualified' });
    case 'converted':
      return msg('Converted', { id: 'leads.status.converted' });
    default: {
      const never: never = status;
      return never;
    }
  }
}

type KnownSource = (typeof LEAD_SOURCE_SUGGESTIONS)[number];

/** A suggested source in words; any other source is shown as typed. */
export function leadSourceLabel(source: string): string {
  switch (source as KnownSource) {
    case 'website':
      return msg('Website', { id: 'leads.source.website' });
    case 'referral':
      return msg('Referral', { id: 'leads.source.referral' });
    case 'event':
      return msg('Event', { id: 'leads.source.event' });
    case 'cold-call':
      return msg('Cold call', { id: 'leads.source.coldCall' });
    case 'advertising':
      return msg('Advertising', { id: 'leads.source.advertising' });
    case 'social':
      return msg('Social media', { id: 'leads.source.social' });
    case 'partner':
      return msg('Partner', { id: 'leads.source.partner' });
    case 'other':
      return msg('Other', { id: 'leads.source.other' });
    default:
      return source || msg('No source', { id: 'leads.source.none' });
  }
}

/** The badge class of a status (ui/styles.ts `badges`). */
export function leadStatusBadge(status: LeadStatus): string {
  switch (status) {
    case 'qualified':
      return 'badge primary';
    case 'converted':
      return 'badge success';
    case 'disqualified':
      return 'badge danger';
    default:
      return 'badge';
  }
}
