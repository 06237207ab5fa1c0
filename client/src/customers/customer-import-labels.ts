/**
 * The import wizard's words: the targets a column may map to (grouped as the mapping select
 * shows them), the match keys and the per-field modes, in the user's language.
 */
import { msg, str } from '@lit/localize';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import type { CustomerField } from '../../../schema/wire/customer.ts';
import {
  IMPORT_CONTACT_CUSTOM_PREFIX,
  IMPORT_CONTACT_FIELDS,
  IMPORT_FIELDS,
  IMPORT_FOLLOWUP_FIELDS,
  type ImportFieldMode,
  type ImportTarget,
  LEAD_IMPORT_FIELDS,
} from '../../../schema/wire/customer-import.ts';
import { localized } from '../custom-fields/custom-field-labels.ts';
import { fieldLabel } from './customer-labels.ts';

export interface TargetGroup {
  label: string;
  options: { value: string; label: string }[];
}

const RECORD_FIELDS = IMPORT_FIELDS.filter((f) => f !== 'owner' && !f.startsWith('contact.') && !f.startsWith('followup.'));

export function ownerTargetLabel(): string {
  return msg('Owner (e-mail or employee number)', { id: 'import.owner' });
}

function contactLabel(f: (typeof IMPORT_CONTACT_FIELDS)[number]): string {
  switch (f) {
    case 'contact.name':
      return msg('Contact: name', { id: 'import.contact.name' });
    case 'contact.title':
      return msg('Contact: title', { id: 'import.contact.title' });
    case 'contact.phone':
      return msg('Contact: phone', { id: 'import.contact.phone' });
    case 'contact.email':
      return msg('Contact: e-mail', { id: 'import.contact.email' });
    default:
      return f satisfies never;
  }
}

function followupLabel(f: (typeof IMPORT_FOLLOWUP_FIELDS)[number]): string {
  switch (f) {
    case 'followup.type':
      return msg('Follow-up: type', { id: 'import.followup.type' });
    case 'followup.text':
      return msg('Follow-up: text', { id: 'import.followup.text' });
    case 'followup.at':
      return msg('Follow-up: date', { id: 'import.followup.at' });
    default:
      return f satisfies never;
  }
}

function leadFieldLabel(f: (typeof LEAD_IMPORT_FIELDS)[number]): string {
  switch (f) {
    case 'name':
      return msg('Name', { id: 'leads.field.name' });
    case 'company':
      return msg('Company', { id: 'leads.field.company' });
    case 'phone':
      return msg('Phone', { id: 'leads.field.phone' });
    case 'email':
      return msg('E-mail', { id: 'leads.field.email' });
    case 'source':
      return msg('Source', { id: 'leads.field.source' });
    case 'note':
      return msg('Note', { id: 'leads.field.note' });
    case 'owner':
      return ownerTargetLabel();
    default:
      return f satisfies never;
  }
}

/**
 * The targets of the mapping select: record fields, owner, contact (with the contact custom
 * fields, `contact.custom.<key>`), follow-up, custom fields.
 */
export function targetGroups(target: ImportTarget, customFields: readonly CustomFieldDto[], contactFields: readonly CustomFieldDto[] = []): TargetGroup[] {
  if (target === 'leads') {
    return [{ label: msg('Lead fields', { id: 'import.group.lead' }), options: LEAD_IMPORT_FIELDS.map((f) => ({ value: f, label: leadFieldLabel(f) })) }];
  }
  const groups: TargetGroup[] = [
    {
      label: msg('Customer fields', { id: 'import.group.customer' }),
      options: [
        ...RECORD_FIELDS.map((f) => ({ value: f, label: fieldLabel(f as CustomerField | 'tags') })),
        { value: 'owner', label: ownerTargetLabel() },
      ],
    },
    {
      label: msg('Related contact', { id: 'import.group.contact' }),
      options: [
        ...IMPORT_CONTACT_FIELDS.map((f) => ({ value: f, label: contactLabel(f) })),
        ...contactFields.map((f) => ({
          value: `${IMPORT_CONTACT_CUSTOM_PREFIX}${f.key}`,
          label: msg(str`Contact: ${localized(f.label)}`, { id: 'import.contact.custom' }),
        })),
      ],
    },
    { label: msg('Follow-up', { id: 'import.group.followup' }), options: IMPORT_FOLLOWUP_FIELDS.map((f) => ({ value: f, label: followupLabel(f) })) },
  ];
  if (customFields.length > 0) {
    groups.push({
      label: msg('Custom fields', { id: 'import.group.custom' }),
      options: customFields.map((f) => ({ value: `custom.${f.key}`, label: localized(f.label) })),
    });
  }
  return groups;
}

/** A target's label (a row's refused field, the modes table); unknown names as they are. */
export function targetLabel(field: string, target: ImportTarget, customFields: readonly CustomFieldDto[], contactFields: readonly CustomFieldDto[] = []): string {
  for (const g of targetGroups(target, customFields, contactFields)) {
    const found = g.options.find((o) => o.value === field);
    if (found) return found.label;
  }
  return field;
}

/** Whether a matched customer's field takes a mode: the record's fields, tags and custom fields (not contacts, follow-ups, owner or the name). */
export function takesMode(field: string): boolean {
  return field === 'tags' || field.startsWith('custom.') || (RECORD_FIELDS as readonly string[]).includes(field) ? field !== 'name' : false;
}

export function modeLabel(mode: ImportFieldMode): string {
  switch (mode) {
    case 'overwrite':
      return msg('Overwrite', { id: 'import.mode.overwrite' });
    case 'fillEmpty':
      return msg('Fill only if empty', { id: 'import.mode.fillEmpty' });
    case 'skip':
      return msg('Leave as is', { id: 'import.mode.skip' });
    default:
      return mode satisfies never;
  }
}

export function matchKeyLabel(key: 'email' | 'phone' | 'name'): string {
  switch (key) {
    case 'email':
      return msg('E-mail', { id: 'import.match.email' });
    case 'phone':
      return msg('Phone', { id: 'import.match.phone' });
    case 'name':
      return msg('Exact name', { id: 'import.match.name' });
    default:
      return key satisfies never;
  }
}
