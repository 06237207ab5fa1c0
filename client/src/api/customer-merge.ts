/** Merging two customers (docs/customers.md, *Merge*): the preview and the merge itself. */
import type { CustomerDto, MergeBody, MergePreviewDto } from '../../../schema/wire/customer.ts';
import { request } from './http.ts';

const enc = encodeURIComponent;

export async function mergePreview(targetId: string, sourceId: string): Promise<MergePreviewDto> {
  return (await request<{ preview: MergePreviewDto }>('GET', `/api/customers/${enc(targetId)}/merge-preview?sourceId=${enc(sourceId)}`)).preview;
}

export async function mergeCustomers(targetId: string, body: MergeBody): Promise<CustomerDto> {
  return (await request<{ customer: CustomerDto }>('POST', `/api/customers/${enc(targetId)}/merge`, body)).customer;
}
