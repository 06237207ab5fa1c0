/** Customer rules: what a row looks like to the API, who may see and change what. */
import type { CustomerRow } from '../../schema/tables/customer.table.ts';
import type { CustomerDto, CustomerField, CustomerFieldValues } from '../../schema/wire/customer.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import type { User } from '../users/user.ts';

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
  };
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
}

export function changeFromBody(body: CustomerFieldValues & { name?: string }): CustomerChange {
  const { tags, ...rest } = body as CustomerFieldValues & { name?: string; teamId?: unknown; confirm?: unknown };
  const fields: CustomerChange['fields'] = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'teamId' || k === 'confirm' || v === undefined) continue;
    fields[k as CustomerField] = v as string | null;
  }
  return { fields, tags };
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
  return changes;
}

// ---- permissions ----------------------------------------------------------------

/** The team a non-admin works in; a non-admin without a team sees no customers. */
export function visibleTeam(user: Pick<User, 'role' | 'teamId'>): string | null | 'all' {
  return user.role === 'admin' ? 'all' : user.teamId;
}

export function canSeeCustomer(user: Pick<User, 'role' | 'teamId'>, row: Pick<CustomerRow, 'team_id'>): boolean {
  return user.role === 'admin' || (user.teamId !== null && user.teamId === row.team_id);
}

export const isManagerOrAdmin = (u: Pick<User, 'role'>) => u.role === 'admin' || u.role === 'manager';

/** Owner changes, archive, restore, merge and undoing imports: managers and admins. */
export function assertManager(user: Pick<User, 'role'>, what: string): void {
  if (!isManagerOrAdmin(user)) throw forbidden(`Only managers and admins may ${what}`);
}

/** The team a new customer goes to: the creator's, or for admins the one they name. */
export function teamForNewCustomer(user: Pick<User, 'role' | 'teamId'>, requested: string | undefined): string {
  if (user.role === 'admin') {
    if (!requested) throw badRequest('teamId: admins must say which team the customer belongs to', 'teamId');
    return requested;
  }
  if (!user.teamId) throw forbidden('You do not belong to a team');
  if (requested && requested !== user.teamId) throw forbidden('You can only create customers in your own team');
  return user.teamId;
}

/** A rep may leave the owner alone or, on create, name themselves; anything else is a manager's call. */
export function assertOwnerChangeAllowed(user: Pick<User, 'role' | 'id'>, before: string | null | undefined, next: string | null | undefined): void {
  if (next === undefined || next === before) return;
  if (isManagerOrAdmin(user)) return;
  if (before === undefined && next === user.id) return;
  throw forbidden('Only managers and admins may change the owner');
}
