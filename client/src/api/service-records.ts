/** After-sales service records, the team queue and the service report (README, "Service records"). */
import type {
  CreateServiceRecordBody,
  ServiceQueueFilters,
  ServiceRecordDto,
  ServiceRecordListDto,
  ServiceReportDto,
  UpdateServiceRecordBody,
} from '../../../schema/wire/service-records.ts';
import { type CreateOptions, request } from './http.ts';

export function serviceQueue(filters: ServiceQueueFilters, page: { limit: number; cursor?: string | null }): Promise<ServiceRecordListDto> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') params.set(k, String(v));
  params.set('limit', String(page.limit));
  if (page.cursor) params.set('cursor', page.cursor);
  return request<ServiceRecordListDto>('GET', `/api/service-records?${params}`);
}

export async function customerServiceRecords(customerId: string): Promise<ServiceRecordDto[]> {
  return (await request<{ items: ServiceRecordDto[] }>('GET', `/api/customers/${encodeURIComponent(customerId)}/service-records`)).items;
}

export async function getServiceRecord(id: string): Promise<ServiceRecordDto> {
  return (await request<{ serviceRecord: ServiceRecordDto }>('GET', `/api/service-records/${encodeURIComponent(id)}`)).serviceRecord;
}

export async function createServiceRecord(body: CreateServiceRecordBody, opts: CreateOptions = {}): Promise<ServiceRecordDto> {
  return (await request<{ serviceRecord: ServiceRecordDto }>('POST', '/api/service-records', body, opts)).serviceRecord;
}

export async function updateServiceRecord(id: string, body: UpdateServiceRecordBody): Promise<ServiceRecordDto> {
  return (await request<{ serviceRecord: ServiceRecordDto }>('PATCH', `/api/service-records/${encodeURIComponent(id)}`, body)).serviceRecord;
}

export function serviceReport(period: { from?: string; to?: string } = {}): Promise<ServiceReportDto> {
  const params = new URLSearchParams();
  if (period.from) params.set('from', period.from);
  if (period.to) params.set('to', period.to);
  return request<ServiceReportDto>('GET', `/api/reports/service?${params}`);
}
