/** Customer rules: what a row looks like to the API, who may see and change what. */
import type { CustomerRow } from '../../schema/tables/customer.table.ts';
import type { CustomerDto, CustomerField, CustomerFieldValues } from '../../schema/wire/customer.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import { type Actor, type CustomerResource, can, mayAssignOwner } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';

/** A customer row without the search helpers (large, and of no use outside queries). */
export type CustomerRecord = Omit<CustomerRow, 'search_text' | 'search_tokens' | 'contact_search' | 'name_key' | 'mention_snippets'>;

/** The columns read for a CustomerRecord. */
export const CUSTOMER_RECORD_COLUMNS = [
  'id',
  'team_id',
  'kind',
  'name',
  'industry',
  'size',
  'phone',
  'email',
  'address',
  'website',
  'source',
  'decision_makers',
  'needs',
  'category',
  'owner_id',
  'tags',
  'phone_digits',
  'email_norm',
  'next_followup_at',
  'archived_at',
  'created_by',
  'created_at',
  'updated_at',
  'import_id',
  'custom_fields',
] as const satisfies readonly (keyof CustomerRecord)[];

export function toCustomerDto(r: CustomerRecord): CustomerDto {
  return {
    id: r.id,
    teamId: r.team_id,
    kind: r.kind,
    name: r.name,
    industry: r.industry,
    size: r.size,
    phone: r.phone,
    email: r.email,
    address: r.address,
    website: r.website,
    source: r.source,
    decisionMakers: r.decision_makers,
    needs: r.needs,
    category: r.category,
    ownerId: r.owner_id,
    tags: r.tags,
    nextFollowupAt: r.next_followup_at?.toISOString() ?? null,
    archivedAt: r.archived_at?.toISOString() ?? null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    importId: r.import_id,
    custom: customFieldsOf(r),
  };
}

/** The projected custom values (a JSON object; PGlite and pg both parse jsonb, older rows may hold text). */
export function customFieldsOf(r: Pick<CustomerRecord, 'custom_fields'>): Record<string, unknown> {
  const v: unknown = r.custom_fields;
  const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** The document field's value as the row holds it. */
export function rowFieldValue(r: CustomerRecord, field: CustomerField): string | null {
  switch (field) {
    case 'name':
      return r.name;
    case 'kind':
      return r.kind;
    case 'industry':
      return r.industry;
    case 'size':
      return r.size;
    case 'phone':
      return r.phone;
    case 'email':
      return r.email;
    case 'address':
      return r.address;
    case 'website':
      return r.website;
    case 'source':
      return r.source;
    case 'decisionMakers':
      return r.decision_makers;
    case 'needs':
      return r.needs;
    case 'category':
      return r.category;
    case 'ownerId':
      return r.owner_id;
    default: {
      const never: never = field;
      throw new Error(`unknown field ${never}`);
    }
  }
}

/** A change to a customer's co-edited content: scalar fields and tags. */
export interface CustomerChange {
  fields: Partial<Record<CustomerField, string | null>>;
  /** The full new tag set, or undefined to leave tags alone. */
  tags?: string[];
  /** Custom values to set by key (null clears one); undefined leaves them alone. */
  custom?: Record<string, unknown>;
}

export function changeFromBody(body: CustomerFieldValues & { name?: string }): CustomerChange {
  const { tags, custom, ...rest } = body as CustomerFieldValues & { name?: string; teamId?: unknown; confirm?: unknown; custom?: Record<string, unknown> };
  const fields: CustomerChange['fields'] = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'teamId' || k === 'confirm' || v === undefined) continue;
    fields[k as CustomerField] = v as string | null;
  }
  return { fields, tags, ...(custom ? { custom } : {}) };
}

/** field → [old, new] for what the change really alters on this row. */
export function diffRows(before: CustomerRecord, after: CustomerRecord, fields: readonly CustomerField[]): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    const a = rowFieldValue(before, f);
    const b = rowFieldValue(after, f);
    if (a !== b) changes[f] = [a, b];
  }
  const tagsBefore = [...before.tags].sort();
  const tagsAfter = [...after.tags].sort();
  if (tagsBefore.join('\u0000') !== tagsAfter.join('\u0000')) changes.tags = [tagsBefore, tagsAfter];
  const customBefore = customFieldsOf(before);
  const customAfter = customFieldsOf(after);
  for (const key of new Set([...Object.keys(customBefore), ...Object.keys(customAfter)])) {
    const a = customBefore[key] ?? null;
    const b = customAfter[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[`custom.${key}`] = [a, b];
  }
  return changes;
}

// ---- permissions (the rules are schema/policy; these apply them to customer rows) ----

export function customerResource(r: Pick<CustomerRecord, 'team_id' | 'owner_id' | 'archived_at'>): CustomerResource {
  return { type: 'customer', teamId: r.team_id, ownerId: r.owner_id, archived: r.archived_at !== null };
}

/** Archive, restore, merge and undoing imports: managers and admins (403 otherwise). */
export function assertMayArchive(user: Actor, row: Pick<CustomerRecord, 'team_id' | 'owner_id' | 'archived_at'>, what: string): void {
  if (!can(user, 'archive', customerResource(row))) throw forbidden(`Only managers and admins may ${what}`);
}

/** The team a new customer goes to: the creator's, or for admins the one they name. */
export function teamForNewCustomer(user: Actor, requested: string | undefined): string {
  const scope = readScope(user, 'customer');
  switch (scope.kind) {
    case 'all':
      if (!requested) throw badRequest('teamId: admins must say which team the customer belongs to', 'teamId');
      return requested;
    case 'team':
      if (requested && !can(user, 'create', { type: 'customer', teamId: requested, ownerId: null, archived: false })) {
        throw forbidden('You can only create customers in your own team');
      }
      return scope.teamId;
    case 'own':
    case 'none':
      throw forbidden('You do not belong to a team');
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** The reassign rule (policy `mayAssignOwner`): `next` undefined leaves the owner alone; `before` undefined is a new record. */
export function assertOwnerChangeAllowed(user: Actor, before: string | null | undefined, next: string | null | undefined): void {
  if (next === undefined) return;
  if (!mayAssignOwner(user, { isNew: before === undefined, from: before ?? null, to: next })) {
    throw forbidden('Only managers and admins may change the owner');
  }
}
