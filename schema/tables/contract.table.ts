import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ContractStatus } from '../wire/contracts.ts';

type Numeric = ColumnType<string, number | string, number | string>;

/** A signed contract of an opportunity (migration 0080); at most one per opportunity. */
export interface ContractTable {
  id: Generated<string>;
  team_id: string;
  opportunity_id: string;
  customer_id: string;
  /** Unique in the workspace. */
  number: string;
  /** YYYY-MM-DD */
  signed_at: string;
  starts_at: string;
  ends_at: string;
  value: Numeric;
  currency: Generated<string>;
  status: Generated<ContractStatus>;
  renewal_remind_at: Date | null;
  /** Set in the transaction that stores the renewal reminder: it fires once. */
  renewal_reminded_at: Date | null;
  notes: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ContractRow = Selectable<ContractTable>;
