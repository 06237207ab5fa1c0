import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CustomFieldEntity, CustomFieldType } from '../wire/custom-fields.ts';

/** A custom field an admin defined (migration 0070; docs/custom-fields.md). */
export interface CustomFieldDefinitionTable {
  id: Generated<string>;
  entity: CustomFieldEntity;
  key: string;
  /** null: the whole workspace. */
  team_id: string | null;
  type: CustomFieldType;
  label_en: string;
  label_zh: string;
  help_en: Generated<string>;
  help_zh: Generated<string>;
  /** `[{value, label: {en, zh}}]`, written as JSON text. */
  options: ColumnType<unknown, string | undefined, string>;
  currency: string | null;
  required: Generated<boolean>;
  position: Generated<number>;
  archived_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type CustomFieldDefinitionRow = Selectable<CustomFieldDefinitionTable>;
