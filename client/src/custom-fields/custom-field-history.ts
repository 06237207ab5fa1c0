/** How the change history shows `custom.<key>` entries: the field's label, option labels, yes/no. */
import { msg } from '@lit/localize';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import { localized } from './custom-field-labels.ts';

const PREFIX = 'custom.';

export function customHistoryLabel(fields: readonly CustomFieldDto[], key: string): string | null {
  if (!key.startsWith(PREFIX)) return null;
  const def = fields.find((f) => f.key === key.slice(PREFIX.length));
  return def ? localized(def.label) : key;
}

/** A value as the field shows it, or null to show it as stored. */
export function customHistoryValue(fields: readonly CustomFieldDto[], key: string, v: unknown): string | null {
  if (!key.startsWith(PREFIX) || v === null || v === undefined) return null;
  const def = fields.find((f) => f.key === key.slice(PREFIX.length));
  if (!def) return null;
  const option = (value: unknown) => {
    const o = def.options.find((x) => x.value === value);
    return o ? localized(o.label) : String(value);
  };
  if (def.type === 'checkbox') return v === true ? msg('Yes', { id: 'customFields.yes' }) : msg('No', { id: 'customFields.no' });
  if (def.type === 'select') return option(v);
  if (def.type === 'multiSelect' && Array.isArray(v)) return v.map(option).join(', ');
  return null;
}
