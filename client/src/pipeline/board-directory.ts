/**
 * Names for the ids on cards: the team's members (one request) and the
 * customers (paged in the background, then one by one for any still missing).
 */
import type { CustomerDto, CustomerListDto } from '../../../schema/wire/customer.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { request } from '../api/http.ts';
import { listUsers } from '../api/users.ts';

/** Customers per page while filling the name cache (the API's maximum). */
const CUSTOMER_PAGE = 200;
/** Pages read at most in the background; later customers are fetched by id when a card needs them. */
const CUSTOMER_PAGES_MAX = 25;
/** Results of the customer picker. */
const PICKER_LIMIT = 20;

export interface CustomerOption {
  id: string;
  name: string;
}

export class BoardDirectory {
  users = new Map<string, UserDto>();
  customers = new Map<string, string>();
  private pending = new Set<string>();

  constructor(private readonly changed: () => void) {}

  async loadUsers(): Promise<void> {
    const items = await listUsers();
    this.users = new Map(items.map((u) => [u.id, u]));
    this.changed();
  }

  /** Fills the customer name cache page by page; stops at the cap or when the list ends. */
  async loadCustomers(signal?: AbortSignal): Promise<void> {
    let cursor: string | null = null;
    for (let page = 0; page < CUSTOMER_PAGES_MAX; page++) {
      const q = new URLSearchParams({ limit: String(CUSTOMER_PAGE) });
      if (cursor) q.set('cursor', cursor);
      const res: CustomerListDto = await request<CustomerListDto>('GET', `/api/customers?${q}`, undefined, { signal });
      for (const c of res.items) this.customers.set(c.id, c.name);
      this.changed();
      cursor = res.nextCursor;
      if (!cursor) return;
    }
  }

  /** Fetches the names of customers a card shows that the cache lacks. */
  async ensureCustomers(ids: Iterable<string>): Promise<void> {
    const missing = [...ids].filter((id) => !this.customers.has(id) && !this.pending.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.pending.add(id);
    await Promise.all(
      missing.map(async (id) => {
        try {
          const { customer } = await request<{ customer: CustomerDto }>('GET', `/api/customers/${encodeURIComponent(id)}`);
          this.customers.set(id, customer.name);
        } catch {
          // Left unnamed; the card still shows its own name.
        }
      }),
    );
    this.changed();
  }

  userName(id: string | null): string {
    return id ? (this.users.get(id)?.name ?? '') : '';
  }
}

/** Customers matching a search, for the create dialog's picker. */
export async function searchCustomers(q: string, signal?: AbortSignal): Promise<CustomerOption[]> {
  const params = new URLSearchParams({ limit: String(PICKER_LIMIT) });
  if (q.trim()) params.set('q', q.trim());
  const res = await request<CustomerListDto>('GET', `/api/customers?${params}`, undefined, { signal });
  return res.items.map((c) => ({ id: c.id, name: c.name }));
}
