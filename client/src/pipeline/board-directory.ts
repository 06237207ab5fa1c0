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
  /** The customer's team (its opportunities take that team's custom fields). */
  teamId?: string;
}

/** Wait before fetching names still missing, so one render's worth goes out together. */
const MISSING_BATCH_MS = 50;
/** Names fetched one by one at most per batch (the rest wait for the next render that needs them). */
const MISSING_BATCH_MAX = 20;

export class BoardDirectory {
  users = new Map<string, UserDto>();
  customers = new Map<string, string>();
  private pending = new Set<string>();
  private wanted = new Set<string>();
  private customersLoaded = false;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly changed: () => void) {}

  async loadUsers(): Promise<void> {
    const items = await listUsers();
    this.users = new Map(items.map((u) => [u.id, u]));
    this.changed();
  }

  /** Fills the customer name cache page by page; stops at the cap or when the list ends. */
  async loadCustomers(signal?: AbortSignal): Promise<void> {
    let cursor: string | null = null;
    try {
      for (let page = 0; page < CUSTOMER_PAGES_MAX; page++) {
        const q = new URLSearchParams({ limit: String(CUSTOMER_PAGE) });
        if (cursor) q.set('cursor', cursor);
        const res: CustomerListDto = await request<CustomerListDto>('GET', `/api/customers?${q}`, undefined, { signal });
        for (const c of res.items) this.customers.set(c.id, c.name);
        this.changed();
        cursor = res.nextCursor;
        if (!cursor) break;
      }
    } finally {
      // Whatever the bulk load missed (or if it failed) is fetched by id from now on.
      this.customersLoaded = true;
      this.scheduleMissing();
    }
  }

  /** The name of a customer, or '' while unknown (then fetched in the background once the bulk load is done). */
  customerName(id: string): string {
    const name = this.customers.get(id);
    if (name !== undefined) return name;
    if (!this.pending.has(id)) {
      this.wanted.add(id);
      this.scheduleMissing();
    }
    return '';
  }

  private scheduleMissing(): void {
    if (!this.customersLoaded || this.batchTimer !== undefined || this.wanted.size === 0) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      const ids = [...this.wanted].slice(0, MISSING_BATCH_MAX);
      for (const id of ids) this.wanted.delete(id);
      void this.ensureCustomers(ids).then(() => this.scheduleMissing());
    }, MISSING_BATCH_MS);
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
  return res.items.map((c) => ({ id: c.id, name: c.name, teamId: c.teamId }));
}
