/** `custom_field_definitions` (migration 0070): reads and writes, rows to DTOs. */
import type { Kysely, Transaction } from 'kysely';
import type { CustomFieldDefinitionRow } from '../../schema/tables/custom-field.table.ts';
import type { Database } from '../../schema/types.ts';
import type { CreateCustomFieldBody, CustomFieldDto, CustomFieldEntity, CustomFieldOptionDto, UpdateCustomFieldBody } from '../../schema/wire/custom-fields.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function toCustomFieldDto(r: CustomFieldDefinitionRow): CustomFieldDto {
  const options = (typeof r.options === 'string' ? JSON.parse(r.options) : r.options) as CustomFieldOptionDto[];
  return {
    id: r.id,
    entity: r.entity,
    key: r.key,
    teamId: r.team_id,
    type: r.type,
    label: { en: r.label_en, zh: r.label_zh },
    help: { en: r.help_en, zh: r.help_zh },
    options,
    currency: r.currency,
    required: r.required,
    position: r.position,
    archivedAt: r.archived_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The definitions of an entity. `teams`: 'all' (admins, every team's), or the one team whose
 * fields apply besides the workspace's (null: the workspace's only).
 */
export async function listCustomFields(
  db: Q,
  entity: CustomFieldEntity,
  opts: { teams: 'all' | string | null; archived: boolean },
): Promise<CustomFieldDefinitionRow[]> {
  let q = db.selectFrom('custom_field_definitions').selectAll().where('entity', '=', entity);
  if (!opts.archived) q = q.where('archived_at', 'is', null);
  const teams = opts.teams;
  if (teams !== 'all') q = q.where((eb) => (teams === null ? eb('team_id', 'is', null) : eb.or([eb('team_id', 'is', null), eb('team_id', '=', teams)])));
  return q.orderBy('position').orderBy('created_at').orderBy('id').execute();
}

/** The active definitions that apply to a customer: the workspace's and its team's (one query, for the document kind). */
export function listCustomerFieldRules(db: Q, customerId: string): Promise<CustomFieldDefinitionRow[]> {
  return db
    .selectFrom('custom_field_definitions as d')
    .selectAll('d')
    .where('d.entity', '=', 'customer')
    .where('d.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('d.team_id', 'is', null),
        eb('d.team_id', '=', eb.selectFrom('customers').select('customers.team_id').where('customers.id', '=', customerId)),
      ]),
    )
    .execute();
}

export function findCustomField(db: Q, id: string): Promise<CustomFieldDefinitionRow | undefined> {
  return db.selectFrom('custom_field_definitions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countActiveFields(db: Q, entity: CustomFieldEntity, teamId: string | null): Promise<number> {
  const row = await db
    .selectFrom('custom_field_definitions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('entity', '=', entity)
    .where('archived_at', 'is', null)
    .where((eb) => (teamId === null ? eb('team_id', 'is', null) : eb('team_id', '=', teamId)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a definition; undefined when the key is taken for the entity (unique constraint). */
export async function insertCustomField(
  db: Q,
  b: CreateCustomFieldBody & { position: number },
  createdBy: string,
): Promise<CustomFieldDefinitionRow | undefined> {
  return db
    .insertInto('custom_field_definitions')
    .values({
      entity: b.entity,
      key: b.key,
      team_id: b.teamId ?? null,
      type: b.type,
      label_en: b.label.en,
      label_zh: b.label.zh,
      help_en: b.help?.en ?? '',
      help_zh: b.help?.zh ?? '',
      options: JSON.stringify(b.options ?? []),
      currency: b.type === 'currency' ? (b.currency ?? 'CNY') : null,
      required: b.required ?? false,
      position: b.position,
      created_by: createdBy,
    })
    .onConflict((oc) => oc.constraint('custom_field_definitions_entity_key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function nextPosition(db: Q, entity: CustomFieldEntity): Promise<number> {
  const row = await db
    .selectFrom('custom_field_definitions')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('entity', '=', entity)
    .executeTakeFirst();
  return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1;
}

export function updateCustomField(db: Q, id: string, b: UpdateCustomFieldBody, now: Date): Promise<CustomFieldDefinitionRow | undefined> {
  return db
    .updateTable('custom_field_definitions')
    .set({
      ...(b.label ? { label_en: b.label.en, label_zh: b.label.zh } : {}),
      ...(b.help ? { help_en: b.help.en, help_zh: b.help.zh } : {}),
      ...(b.options ? { options: JSON.stringify(b.options) } : {}),
      ...(b.currency ? { currency: b.currency } : {}),
      ...(b.required !== undefined ? { required: b.required } : {}),
      ...(b.position !== undefined ? { position: b.position } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function setCustomFieldArchived(db: Q, id: string, archived: boolean, now: Date): Promise<CustomFieldDefinitionRow | undefined> {
  return db
    .updateTable('custom_field_definitions')
    .set({ archived_at: archived ? now : null, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
