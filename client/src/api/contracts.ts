/** Contracts, a customer's orders and contracts, a quote to print, and the won-deal rule: plain functions over the API. */
import type {
  ContractDto,
  CreateContractInput,
  QuotePrintDto,
  UpdateContractInput,
  WorkspaceDealsDto,
} from '../../../schema/wire/contracts.ts';
import type { OrderDto, UpdateOrderInput } from '../../../schema/wire/opportunity.ts';
import { type CreateOptions, request } from './http.ts';

const id = (v: string) => encodeURIComponent(v);

export async function createContract(body: CreateContractInput, opts: CreateOptions = {}): Promise<ContractDto> {
  return (await request<{ contract: ContractDto }>('POST', '/api/contracts', body, opts)).contract;
}

export async function getContract(contractId: string): Promise<ContractDto> {
  return (await request<{ contract: ContractDto }>('GET', `/api/contracts/${id(contractId)}`)).contract;
}

export async function updateContract(contractId: string, body: UpdateContractInput): Promise<ContractDto> {
  return (await request<{ contract: ContractDto }>('PATCH', `/api/contracts/${id(contractId)}`, body)).contract;
}

/** The opportunity's contract, or null when it has none yet. */
export async function findOpportunityContract(opportunityId: string): Promise<ContractDto | null> {
  try {
    return (await request<{ contract: ContractDto }>('GET', `/api/opportunities/${id(opportunityId)}/contract`)).contract;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

export async function updateOrder(opportunityId: string, body: UpdateOrderInput): Promise<OrderDto> {
  return (await request<{ order: OrderDto }>('PATCH', `/api/opportunities/${id(opportunityId)}/order`, body)).order;
}

export async function customerContracts(customerId: string): Promise<ContractDto[]> {
  return (await request<{ items: ContractDto[] }>('GET', `/api/customers/${id(customerId)}/contracts`)).items;
}

export async function customerOrders(customerId: string): Promise<OrderDto[]> {
  return (await request<{ items: OrderDto[] }>('GET', `/api/customers/${id(customerId)}/orders`)).items;
}

export function quoteForPrint(quoteId: string): Promise<QuotePrintDto> {
  return request<QuotePrintDto>('GET', `/api/quotes/${id(quoteId)}`);
}

export function getWorkspaceDeals(): Promise<WorkspaceDealsDto> {
  return request<WorkspaceDealsDto>('GET', '/api/workspace/deals');
}

export function updateWorkspaceDeals(body: WorkspaceDealsDto): Promise<WorkspaceDealsDto> {
  return request<WorkspaceDealsDto>('PATCH', '/api/workspace/deals', body);
}
