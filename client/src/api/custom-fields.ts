/** Custom field definitions (docs/custom-fields.md). */
import type {
  CreateCustomFieldBody,
  CustomFieldDto,
  CustomFieldEntity,
  UpdateCustomFieldBody,
} from '../../../schema/wire/custom-fields.ts';
import { type CreateOptions, request } from './http.ts';

export async function listCustomFields(entity: CustomFieldEntity, opts: { archived?: boolean } = {}): Promise<CustomFieldDto[]> {
  const params = new URLSearchParams({ entity });
  if (opts.archived) params.set('archived', 'include');
  return (await request<{ items: CustomFieldDto[] }>('GET', `/api/custom-fields?${params}`)).items;
}

export async function createCustomField(body: CreateCustomFieldBody, opts: CreateOptions = {}): Promise<CustomFieldDto> {
  return (await request<{ field: CustomFieldDto }>('POST', '/api/custom-fields', body, opts)).field;
}

export async function updateCustomField(id: string, body: UpdateCustomFieldBody): Promise<CustomFieldDto> {
  return (await request<{ field: CustomFieldDto }>('PATCH', `/api/custom-fields/${encodeURIComponent(id)}`, body)).field;
}

export async function setCustomFieldArchived(id: string, archived: boolean): Promise<CustomFieldDto> {
  const action = archived ? 'archive' : 'restore';
  return (await request<{ field: CustomFieldDto }>('POST', `/api/custom-fields/${encodeURIComponent(id)}/${action}`)).field;
}
