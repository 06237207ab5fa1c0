/**
 * From what a form control holds to a custom value, and the hint shown when it is not one
 * (the rules are the server's: schema/wire/custom-fields.ts).
 */
import { msg } from '@lit/localize';
import { type CustomFieldDto, customValueProblem } from '../../../schema/wire/custom-fields.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { localized } from './custom-field-labels.ts';

/** The value to store for a control's text: undefined clears it; `invalid` when it cannot be one. */
export function parseInput(def: CustomFieldDto, raw: string): { value: unknown } | { invalid: string } {
  const text = def.type === 'longText' ? raw : raw.trim();
  if (text === '') return def.required ? { invalid: hint(def, true) } : { value: undefined };
  let value: unknown = text;
  if (def.type === 'number' || def.type === 'currency') value = Number(text);
  return customValueProblem(def, value) === null ? { value } : { invalid: hint(def, false) };
}

/** A list of options (multi select) after one is switched on or off, in the options' order. */
export function toggled(def: CustomFieldDto, current: unknown, option: string, on: boolean): string[] {
  const set = new Set(Array.isArray(current) ? (current as string[]) : []);
  if (on) set.add(option);
  else set.delete(option);
  return def.options.map((o) => o.value).filter((v) => set.has(v));
}

export function hint(def: CustomFieldDto, missing: boolean): string {
  if (missing) return msg('This field is required.', { id: 'customFields.hint.required' });
  switch (def.type) {
    case 'number':
      return msg('Enter a number.', { id: 'customFields.hint.number' });
    case 'currency':
      return msg('Enter an amount with at most two decimals.', { id: 'customFields.hint.currency' });
    case 'url':
      return msg('Enter an address starting with http:// or https://.', { id: 'customFields.hint.url' });
    case 'date':
      return msg('Enter a date.', { id: 'customFields.hint.date' });
    default:
      return msg('This is too long.', { id: 'customers.error.tooLong' });
  }
}

/** The text a control shows for a stored value. */
export function inputText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The choices of a select or user field's control, and the value it shows: a select's options,
 * or the team's active members; a stored value no longer among them (an option renamed away,
 * a member who left) stays listed as itself so it is not silently replaced.
 */
export function choicesOf(
  def: CustomFieldDto,
  value: unknown,
  users: readonly UserDto[],
  teamId: string | null,
): { options: Array<{ value: string; label: string }>; shown: string } {
  const options =
    def.type === 'select'
      ? def.options.map((o) => ({ value: o.value, label: localized(o.label) }))
      : users.filter((u) => (u.active && u.teamId === teamId) || u.id === value).map((u) => ({ value: u.id, label: u.name }));
  const shown = typeof value === 'string' ? value : '';
  if (shown && !options.some((o) => o.value === shown)) options.push({ value: shown, label: shown });
  return { options, shown };
}
