/** Localized wording for customer values: categories, follow-up statuses, sorts, kinds, fields, follow-up types. */
import { msg } from '@lit/localize';
import { currentLocale } from '../app/localization.ts';
import type { CategoryDto, CustomerField } from '../../../schema/wire/customer.ts';
import type { CustomerSort, FollowupStatus } from '../../../schema/wire/customer-query.ts';
import type { FollowupType } from '../../../schema/wire/docs.ts';

/** Same values as schema/wire/customer-query.ts, kept here so the client bundle does not pull in its validators. */
export const SORT_VALUES = ['-updated', 'updated', '-created', 'created', 'name', '-name'] as const satisfies readonly CustomerSort[];
export const FOLLOWUP_STATUS_VALUES = ['overdue', 'dueSoon', 'scheduled', 'none'] as const satisfies readonly FollowupStatus[];
export const FOLLOWUP_TYPE_VALUES = ['call', 'email', 'meeting', 'visit', 'other'] as const satisfies readonly FollowupType[];

/**
 * The built-in categories have translations; a team's own categories show their label as written,
 * in Chinese the Chinese label when the admin gave one (it also overrides a built-in's translation).
 */
export function categoryLabel(key: string, categories: readonly CategoryDto[] = []): string {
  const own = categories.find((c) => c.key === key);
  if (own?.labelZh && currentLocale() === 'zh-CN') return own.labelZh;
  switch (key) {
    case 'potential':
      return msg('Potential', { id: 'customers.category.potential' });
    case 'intent':
      return msg('Intent', { id: 'customers.category.intent' });
    case 'closed-won':
      return msg('Closed won', { id: 'customers.category.closedWon' });
    case 'vip':
      return msg('VIP', { id: 'customers.category.vip' });
    default:
      return categories.find((c) => c.key === key)?.label ?? key;
  }
}

export function followupStatusLabel(status: FollowupStatus): string {
  switch (status) {
    case 'overdue':
      return msg('Overdue', { id: 'customers.followup.overdue' });
    case 'dueSoon':
      return msg('Due soon', { id: 'customers.followup.dueSoon' });
    case 'scheduled':
      return msg('Scheduled', { id: 'customers.followup.scheduled' });
    case 'none':
      return msg('None planned', { id: 'customers.followup.none' });
    default:
      return status satisfies never;
  }
}

export function sortLabel(sort: CustomerSort): string {
  switch (sort) {
    case '-updated':
      return msg('Recently updated', { id: 'customers.sort.updatedDesc' });
    case 'updated':
      return msg('Least recently updated', { id: 'customers.sort.updatedAsc' });
    case '-created':
      return msg('Newest', { id: 'customers.sort.createdDesc' });
    case 'created':
      return msg('Oldest', { id: 'customers.sort.createdAsc' });
    case 'name':
      return msg('Name A–Z', { id: 'customers.sort.nameAsc' });
    case '-name':
      return msg('Name Z–A', { id: 'customers.sort.nameDesc' });
    default:
      return sort satisfies never;
  }
}

/** Any type string: entries written by other clients may carry types this build does not list yet. */
export function followupTypeLabel(type: FollowupType | (string & {})): string {
  switch (type) {
    case 'call':
      return msg('Call', { id: 'followups.type.call' });
    case 'email':
      return msg('E-mail', { id: 'followups.type.email' });
    case 'meeting':
      return msg('Meeting', { id: 'followups.type.meeting' });
    case 'visit':
      return msg('Visit', { id: 'followups.type.visit' });
    case 'note':
      return msg('Note', { id: 'followups.type.note' });
    case 'other':
      return msg('Other', { id: 'followups.type.other' });
    default:
      return type;
  }
}

/** The name field as the manual words it: a company's name, or a person's full name. */
export function nameLabel(kind: string): string {
  return kind === 'person' ? msg('Full name', { id: 'customers.field.personName' }) : msg('Company name', { id: 'customers.field.companyName' });
}

export function fieldLabel(field: CustomerField | 'tags'): string {
  switch (field) {
    case 'name':
      return msg('Name', { id: 'customers.field.name' });
    case 'kind':
      return msg('Type', { id: 'customers.field.kind' });
    case 'industry':
      return msg('Industry', { id: 'customers.field.industry' });
    case 'size':
      return msg('Size', { id: 'customers.field.size' });
    case 'phone':
      return msg('Phone', { id: 'customers.field.phone' });
    case 'email':
      return msg('E-mail', { id: 'customers.field.email' });
    case 'address':
      return msg('Address', { id: 'customers.field.address' });
    case 'website':
      return msg('Website', { id: 'customers.field.website' });
    case 'source':
      return msg('Source channel', { id: 'customers.field.source' });
    case 'decisionMakers':
      return msg('Key decision makers', { id: 'customers.field.decisionMakers' });
    case 'needs':
      return msg('Needs and pain points', { id: 'customers.field.needs' });
    case 'category':
      return msg('Category', { id: 'customers.field.category' });
    case 'ownerId':
      return msg('Owner', { id: 'customers.field.owner' });
    case 'tags':
      return msg('Tags', { id: 'customers.field.tags' });
    default:
      return field satisfies never;
  }
}

export function kindLabel(kind: string): string {
  return kind === 'person' ? msg('Person', { id: 'customers.kind.person' }) : msg('Company', { id: 'customers.kind.company' });
}

/**
 * Date formatters per language and style, made once: building an Intl.DateTimeFormat costs far
 * more than using one, and the list formats two dates for every row it renders.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function format(iso: string | null | undefined, style: 'dateTime' | 'date' | 'short'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const lang = document.documentElement.lang || 'en';
  const key = `${lang}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : style === 'date' ? { dateStyle: 'medium' } : { year: 'numeric', month: '2-digit', day: '2-digit' };
    f = new Intl.DateTimeFormat(lang, options);
    formatters.set(key, f);
  }
  return f.format(d);
}

/** A date-time in the current language, short. */
export function formatDateTime(iso: string | null | undefined): string {
  return format(iso, 'dateTime');
}

export function formatDate(iso: string | null | undefined): string {
  return format(iso, 'date');
}

/** A compact date for list cells: 2026/11/28, 11/28/2026. */
export function formatShortDate(iso: string | null | undefined): string {
  return format(iso, 'short');
}
