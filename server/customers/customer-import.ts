/**
 * Import rules, pure: column mapping, and turning a row into what the writers need (a
 * customer's fields, custom values, a related contact and follow-up; or a lead), and the
 * per-field merge of an update. Files are read in import-source.ts; IO in
 * customer-import.service.ts.
 */
import { type CreateCustomerBody, createContactBody, createCustomerBody } from '../../schema/wire/customer.ts';
import type { CustomerField } from '../../schema/wire/customer.ts';
import {
  IMPORT_CONTACT_CUSTOM_PREFIX,
  IMPORT_FIELDS,
  LEAD_IMPORT_FIELDS,
  type ImportColumnTarget,
  type ImportField,
  type ImportFieldMode,
  type ImportTarget,
  type LeadImportField,
} from '../../schema/wire/customer-import.ts';
import { type CustomFieldRule, type CustomValue, customValueProblem, isEmptyCustomValue as isEmpty } from '../../schema/wire/custom-fields.ts';
import { FOLLOWUP_TEXT_MAX_CHARS, FOLLOWUP_TYPES, type FollowupType } from '../../schema/wire/docs.ts';
import { type CreateLeadBody, createLeadBody } from '../../schema/wire/lead.ts';
import { badRequest } from '../http/app-error.ts';

/** Header names (lower-cased, English and Chinese) recognised without a mapping. */
const HEADER_ALIASES: Record<string, ImportField> = {
  name: 'name',
  'customer name': 'name',
  company: 'name',
  名称: 'name',
  客户名称: 'name',
  客户: 'name',
  公司名称: 'name',
  kind: 'kind',
  type: 'kind',
  类型: 'kind',
  industry: 'industry',
  行业: 'industry',
  size: 'size',
  规模: 'size',
  phone: 'phone',
  telephone: 'phone',
  tel: 'phone',
  电话: 'phone',
  手机: 'phone',
  联系电话: 'phone',
  email: 'email',
  'e-mail': 'email',
  邮箱: 'email',
  电子邮件: 'email',
  address: 'address',
  地址: 'address',
  website: 'website',
  web: 'website',
  网站: 'website',
  网址: 'website',
  source: 'source',
  'source channel': 'source',
  来源: 'source',
  decisionmakers: 'decisionMakers',
  'decision makers': 'decisionMakers',
  决策人: 'decisionMakers',
  关键决策人: 'decisionMakers',
  needs: 'needs',
  'needs and pain points': 'needs',
  需求: 'needs',
  category: 'category',
  分类: 'category',
  客户分类: 'category',
  tags: 'tags',
  标签: 'tags',
  owner: 'owner',
  'owner email': 'owner',
  'owner e-mail': 'owner',
  'owner employee number': 'owner',
  负责人: 'owner',
  负责人邮箱: 'owner',
  负责人工号: 'owner',
  负责人账号: 'owner',
  'contact name': 'contact.name',
  contact: 'contact.name',
  联系人: 'contact.name',
  联系人姓名: 'contact.name',
  'contact title': 'contact.title',
  职位: 'contact.title',
  联系人职位: 'contact.title',
  'contact phone': 'contact.phone',
  联系人电话: 'contact.phone',
  联系人手机: 'contact.phone',
  'contact email': 'contact.email',
  'contact e-mail': 'contact.email',
  联系人邮箱: 'contact.email',
  'follow-up type': 'followup.type',
  'followup type': 'followup.type',
  跟进方式: 'followup.type',
  跟进类型: 'followup.type',
  'follow-up': 'followup.text',
  'follow-up notes': 'followup.text',
  跟进内容: 'followup.text',
  跟进记录: 'followup.text',
  'follow-up date': 'followup.at',
  跟进时间: 'followup.at',
  跟进日期: 'followup.at',
};

/** Lead headers recognised without a mapping. */
const LEAD_HEADER_ALIASES: Record<string, LeadImportField> = {
  name: 'name',
  姓名: 'name',
  名称: 'name',
  线索名称: 'name',
  company: 'company',
  公司: 'company',
  公司名称: 'company',
  phone: 'phone',
  电话: 'phone',
  手机: 'phone',
  email: 'email',
  'e-mail': 'email',
  邮箱: 'email',
  source: 'source',
  来源: 'source',
  note: 'note',
  notes: 'note',
  备注: 'note',
  owner: 'owner',
  'owner email': 'owner',
  负责人: 'owner',
  负责人邮箱: 'owner',
  负责人工号: 'owner',
};


/** Follow-up type words (lower-cased) in English and Chinese. */
const FOLLOWUP_TYPE_ALIASES: Record<string, FollowupType> = {
  电话: 'call',
  通话: 'call',
  邮件: 'email',
  'e-mail': 'email',
  会议: 'meeting',
  拜访: 'visit',
  上门: 'visit',
  备注: 'note',
  其他: 'other',
};

/**
 * The column index for each target: the given mapping (header → target), or recognised
 * headers (field names, English and Chinese labels, and custom fields by key or label; a
 * related contact's custom fields by `contact.custom.<key>`, "Contact <label>" or 联系人<label>).
 */
export function resolveMapping(
  headers: string[],
  mapping: Record<string, string> | undefined,
  target: ImportTarget = 'customers',
  customFields: readonly CustomFieldRule[] = [],
  contactFields: readonly CustomFieldRule[] = [],
): Map<ImportColumnTarget, number> {
  const out = new Map<ImportColumnTarget, number>();
  const builtIn: readonly string[] = target === 'leads' ? LEAD_IMPORT_FIELDS : IMPORT_FIELDS;
  const customKeys = new Set(target === 'customers' ? customFields.map((d) => d.key) : []);
  const contactKeys = new Set(target === 'customers' ? contactFields.map((d) => d.key) : []);
  const known = (field: string): boolean =>
    builtIn.includes(field) ||
    (field.startsWith('custom.') && customKeys.has(field.slice(7))) ||
    (field.startsWith(IMPORT_CONTACT_CUSTOM_PREFIX) && contactKeys.has(field.slice(IMPORT_CONTACT_CUSTOM_PREFIX.length)));
  if (mapping && Object.keys(mapping).length > 0) {
    for (const [header, field] of Object.entries(mapping)) {
      if (field === '' || field === 'ignore') continue;
      if (!known(field)) throw badRequest(`mapping: unknown field ${field}`, 'mapping');
      const index = headers.indexOf(header);
      if (index < 0) throw badRequest(`mapping: the file has no column "${header}"`, 'mapping');
      if (out.has(field as ImportColumnTarget)) throw badRequest(`mapping: two columns map to ${field}`, 'mapping');
      out.set(field as ImportColumnTarget, index);
    }
  } else {
    const aliases: Record<string, string> = target === 'leads' ? LEAD_HEADER_ALIASES : HEADER_ALIASES;
    const customByLabel = new Map<string, string>();
    for (const d of target === 'customers' ? customFields : []) {
      // `custom.<key>` is the export's header: an exported sheet imports back without a mapping.
      for (const l of [`custom.${d.key}`, d.key, d.label.en, d.label.zh]) customByLabel.set(l.trim().toLowerCase(), `custom.${d.key}`);
    }
    for (const d of target === 'customers' ? contactFields : []) {
      const field = `${IMPORT_CONTACT_CUSTOM_PREFIX}${d.key}`;
      for (const l of [field, `contact ${d.label.en}`, `contact: ${d.label.en}`, `联系人${d.label.zh}`]) customByLabel.set(l.trim().toLowerCase(), field);
    }
    headers.forEach((h, index) => {
      const lower = h.toLowerCase();
      const field = aliases[lower] ?? builtIn.find((f) => f.toLowerCase() === lower) ?? customByLabel.get(lower);
      if (field && !out.has(field as ImportColumnTarget)) out.set(field as ImportColumnTarget, index);
    });
  }
  if (!out.has('name')) {
    throw badRequest(
      `mapping: no column holds the ${target === 'leads' ? 'lead' : 'customer'} name; the file's columns are ${headers.map((h) => `"${h}"`).join(', ')}`,
      'mapping',
    );
  }
  return out;
}

/** Undoes the export's CSV-injection guard: "'=1+1" comes back as "=1+1". */
export function unescapeCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export interface ImportedContact {
  name: string;
  title?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  /** Contact custom values by key, already of their field's type. */
  custom?: Record<string, CustomValue>;
}

export interface ImportedFollowup {
  type: FollowupType;
  text: string;
  /** ISO 8601 date-time. */
  at: string;
}

export type RowOutcome =
  | {
      ok: true;
      body: CreateCustomerBody;
      /** The owner's e-mail or employee number (lower-cased), to resolve; null: none given. */
      ownerLogin: string | null;
      /** Custom values by key, already of their field's type. */
      custom: Record<string, CustomValue>;
      contact: ImportedContact | null;
      followup: ImportedFollowup | null;
    }
  | { ok: false; field: string; reason: string };

const refused = (field: string, reason: string) => ({ ok: false as const, field, reason });

/** A cell as a custom value of the field's type; options match by value or by label. */
export function customCellValue(def: CustomFieldRule, raw: string): { ok: true; value: CustomValue } | { ok: false; reason: string } {
  const option = (s: string) => {
    const t = s.trim().toLowerCase();
    return def.options.find((o) => o.value === t || o.label.en.toLowerCase() === t || o.label.zh === s.trim())?.value ?? s.trim();
  };
  let value: unknown;
  switch (def.type) {
    case 'number':
    case 'currency': {
      const n = Number(raw.replace(/[,，\s]/g, ''));
      value = Number.isNaN(n) ? raw : n;
      break;
    }
    case 'checkbox':
      value = /^(true|yes|y|1|是|✓)$/i.test(raw) ? true : /^(false|no|n|0|否)$/i.test(raw) ? false : raw;
      break;
    case 'select':
      value = option(raw);
      break;
    case 'multiSelect':
      value = raw
        .split(/[,;，；]/)
        .map((s) => s.trim())
        .filter(Boolean)
        .map(option);
      break;
    case 'date':
      value = raw.trim().slice(0, 10).replace(/\//g, '-');
      break;
    case 'text':
    case 'longText':
    case 'url':
    case 'user':
      value = raw;
      break;
    default: {
      const never: never = def.type;
      value = never;
    }
  }
  const problem = customValueProblem(def, value);
  return problem ? { ok: false, reason: problem } : { ok: true, value: value as CustomValue };
}

/** A follow-up date cell (a date or a date-time) as ISO 8601, or null when it is not one. */
export function followupAt(raw: string, fallback: Date): string | null {
  if (raw.trim() === '') return fallback.toISOString();
  const s = raw.trim().replace(/\//g, '-');
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * One record → a validated customer (owner still as a login to resolve), its custom values,
 * and its related contact (with its custom values) and follow-up. `userByLogin` resolves a
 * `user` custom field's cell (an e-mail or employee number) to a user id; a contact's user
 * cell that names no member of the team refuses the row. `now` dates a follow-up without a date.
 */
export function rowToBody(
  cells: string[],
  headerCount: number,
  mapping: Map<ImportColumnTarget, number>,
  customFields: readonly CustomFieldRule[] = [],
  now: Date = new Date(0),
  userByLogin: (login: string) => string | undefined = () => undefined,
  contactFields: readonly CustomFieldRule[] = [],
): RowOutcome {
  if (cells.length !== headerCount) {
    return refused('row', `The row has ${cells.length} cells; the header has ${headerCount}`);
  }
  const raw: Record<string, unknown> = {};
  const custom: Record<string, CustomValue> = {};
  const contact: Record<string, string> = {};
  const followup: Record<string, string> = {};
  const defs = new Map(customFields.map((d) => [d.key, d]));
  const contactDefs = new Map(contactFields.map((d) => [d.key, d]));
  const contactCustom: Record<string, CustomValue> = {};
  let ownerLogin: string | null = null;
  for (const [field, index] of mapping) {
    const value = unescapeCell(cells[index] ?? '').trim();
    if (field.startsWith(IMPORT_CONTACT_CUSTOM_PREFIX)) {
      const def = contactDefs.get(field.slice(IMPORT_CONTACT_CUSTOM_PREFIX.length));
      if (!def || value === '') continue;
      let cell = value;
      if (def.type === 'user') {
        const id = userByLogin(value.toLowerCase());
        if (!id) return refused(field, `${field}: no active user ${value} in this team`);
        cell = id;
      }
      const v = customCellValue(def, cell);
      if (!v.ok) return refused(field, `${field}: ${v.reason}`);
      contactCustom[def.key] = v.value;
    } else if (field.startsWith('custom.')) {
      const def = defs.get(field.slice(7));
      if (!def || value === '') continue;
      const cell = def.type === 'user' ? (userByLogin(value.toLowerCase()) ?? value) : value;
      const v = customCellValue(def, cell);
      if (!v.ok) return refused(field, `${field}: ${v.reason}`);
      custom[def.key] = v.value;
    } else if (field.startsWith('contact.')) {
      if (value !== '') contact[field.slice(8)] = value;
    } else if (field.startsWith('followup.')) {
      if (value !== '') followup[field.slice(9)] = value;
    } else if (field === 'owner') ownerLogin = value === '' ? null : value.toLowerCase();
    else if (field === 'tags') raw.tags = value.split(/[,;，；]/).map((s) => s.trim()).filter(Boolean);
    else if (field === 'kind') raw.kind = value === '' ? undefined : /^(person|个人)$/i.test(value) ? 'person' : /^(company|公司|企业)$/i.test(value) ? 'company' : value;
    else if (field === 'category') raw.category = value === '' ? undefined : value.toLowerCase();
    else if (value !== '') raw[field] = value;
  }
  const r = createCustomerBody.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue?.path[0] ?? 'row');
    return refused(field, issue?.message ?? 'Invalid value');
  }
  let importedContact: ImportedContact | null = null;
  if (Object.keys(contact).length > 0 || Object.keys(contactCustom).length > 0) {
    const c = createContactBody.safeParse(contact);
    if (!c.success) {
      const issue = c.error.issues[0];
      return refused(`contact.${String(issue?.path[0] ?? 'name')}`, issue?.message ?? 'Invalid value');
    }
    const { name, title, phone, email } = c.data;
    importedContact = { name, title, phone, email, ...(Object.keys(contactCustom).length > 0 ? { custom: contactCustom } : {}) };
  }
  let importedFollowup: ImportedFollowup | null = null;
  if (Object.keys(followup).length > 0) {
    const text = followup.text ?? '';
    if (text === '') return refused('followup.text', 'is required when the follow-up has a type or date');
    if (text.length > FOLLOWUP_TEXT_MAX_CHARS) return refused('followup.text', `must be at most ${FOLLOWUP_TEXT_MAX_CHARS} characters`);
    const typeWord = (followup.type ?? 'note').toLowerCase();
    const type = (FOLLOWUP_TYPES as readonly string[]).includes(typeWord) ? (typeWord as FollowupType) : FOLLOWUP_TYPE_ALIASES[typeWord];
    if (!type) return refused('followup.type', `must be one of ${FOLLOWUP_TYPES.join(', ')}`);
    const at = followupAt(followup.at ?? '', now);
    if (!at) return refused('followup.at', 'must be a date (YYYY-MM-DD) or a date-time');
    importedFollowup = { type, text, at };
  }
  return { ok: true, body: r.data, ownerLogin, custom, contact: importedContact, followup: importedFollowup };
}

export type LeadRowOutcome = { ok: true; body: CreateLeadBody; ownerLogin: string | null } | { ok: false; field: string; reason: string };

/** One record → a validated lead (owner still as a login to resolve). */
export function rowToLead(cells: string[], headerCount: number, mapping: Map<ImportColumnTarget, number>): LeadRowOutcome {
  if (cells.length !== headerCount) return refused('row', `The row has ${cells.length} cells; the header has ${headerCount}`);
  const raw: Record<string, unknown> = {};
  let ownerLogin: string | null = null;
  for (const [field, index] of mapping) {
    const value = unescapeCell(cells[index] ?? '').trim();
    if (field === 'owner') ownerLogin = value === '' ? null : value.toLowerCase();
    else if (value !== '') raw[field as LeadImportField] = value;
  }
  const r = createLeadBody.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return refused(String(issue?.path[0] ?? 'row'), issue?.message ?? 'Invalid value');
  }
  return { ok: true, body: r.data, ownerLogin };
}

/** A matched customer's current values, as the merge compares them. */
export interface CurrentValues {
  fields: Partial<Record<CustomerField, string | null>>;
  tags: string[];
  custom: Record<string, unknown>;
}

export interface MergedUpdate {
  /** What to write (only what changes). */
  change: { fields: Partial<Record<CustomerField, string | null>>; tags?: string[]; custom?: Record<string, unknown> };
  /** The values the change replaces, for undo (field → value; `tags`; `custom.<key>`). */
  previous: Record<string, unknown>;
}


/**
 * The per-field merge of an import that updates: for each field the row gives a value (an
 * empty cell gives none, and never clears), `overwrite` replaces the current value,
 * `fillEmpty` sets it only when the record has none, `skip` leaves it. Pure.
 */
export function mergeUpdate(
  current: CurrentValues,
  incoming: { fields: Partial<Record<CustomerField, string | null>>; tags?: string[] | undefined; custom: Record<string, unknown> },
  modeOf: (field: string) => ImportFieldMode,
): MergedUpdate {
  const change: MergedUpdate['change'] = { fields: {} };
  const previous: Record<string, unknown> = {};
  const wants = (field: string, now: unknown, next: unknown): boolean => {
    if (isEmpty(next)) return false;
    const mode = modeOf(field);
    if (mode === 'skip') return false;
    if (mode === 'fillEmpty' && !isEmpty(now)) return false;
    return JSON.stringify(now ?? null) !== JSON.stringify(next);
  };
  for (const [field, next] of Object.entries(incoming.fields) as [CustomerField, string | null][]) {
    if (field === 'name') continue;
    const now = current.fields[field] ?? null;
    if (!wants(field, now, next)) continue;
    change.fields[field] = next;
    previous[field] = now;
  }
  if (incoming.tags && incoming.tags.length > 0) {
    const merged = [...new Set([...current.tags, ...incoming.tags])];
    const now = [...current.tags].sort();
    const next = (modeOf('tags') === 'overwrite' ? [...new Set(incoming.tags)] : merged).sort();
    if (wants('tags', now, next)) {
      change.tags = next;
      previous.tags = now;
    }
  }
  for (const [key, next] of Object.entries(incoming.custom)) {
    const now = current.custom[key] ?? null;
    if (!wants(`custom.${key}`, now, next)) continue;
    change.custom = { ...change.custom, [key]: next };
    previous[`custom.${key}`] = now;
  }
  return { change, previous };
}
