/** Custom field words in the user's language: a definition's own labels, and the type names. */
import { msg } from '@lit/localize';
import type { CustomFieldEntity, CustomFieldType, LocalizedText } from '../../../schema/wire/custom-fields.ts';
import { currentLocale } from '../app/localization.ts';

/** The text in the interface language, falling back to the other one when it is empty. */
export function localized(text: LocalizedText): string {
  return currentLocale() === 'zh-CN' ? text.zh || text.en : text.en || text.zh;
}

export function typeLabel(type: CustomFieldType): string {
  switch (type) {
    case 'text':
      return msg('Text', { id: 'customFields.type.text' });
    case 'longText':
      return msg('Long text', { id: 'customFields.type.longText' });
    case 'number':
      return msg('Number', { id: 'customFields.type.number' });
    case 'currency':
      return msg('Currency', { id: 'customFields.type.currency' });
    case 'date':
      return msg('Date', { id: 'customFields.type.date' });
    case 'select':
      return msg('Single select', { id: 'customFields.type.select' });
    case 'multiSelect':
      return msg('Multi select', { id: 'customFields.type.multiSelect' });
    case 'user':
      return msg('User', { id: 'customFields.type.user' });
    case 'checkbox':
      return msg('Checkbox', { id: 'customFields.type.checkbox' });
    case 'url':
      return msg('URL', { id: 'customFields.type.url' });
    default:
      return type satisfies never;
  }
}

/** What an entity's fields are added to, as the admin screen's switch names it. */
export function entityLabel(entity: CustomFieldEntity): string {
  switch (entity) {
    case 'customer':
      return msg('Customers', { id: 'customFields.entity.customer' });
    case 'contact':
      return msg('Contacts', { id: 'customFields.entity.contact' });
    case 'opportunity':
      return msg('Opportunities', { id: 'customFields.entity.opportunity' });
    default:
      return entity satisfies never;
  }
}
