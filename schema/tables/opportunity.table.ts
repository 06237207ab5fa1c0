import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { StageKind } from '../wire/board.ts';
import type { OrderStatus, QuoteStatus } from '../wire/opportunity.ts';

/** numeric columns: the drivers return strings; the repositories turn them into numbers. */
type Numeric = ColumnType<string, number | string, number | string>;

/** The relational projection of the cards of `board:<pipelineId>` documents. */
export interface OpportunityTable {
  /** The card's key in the board document. */
  id: string;
  /** The team of the opportunity's customer. */
  team_id: string;
  pipeline_id: string;
  customer_id: string;
  name: string;
  amount: Numeric;
  currency: Generated<string>;
  /** YYYY-MM-DD */
  expected_close_date: string | null;
  stage_id: string;
  owner_id: string | null;
  rank: string;
  /** The kind of the current stage. */
  status: Generated<StageKind>;
  lost_reason: string | null;
  /** When the opportunity entered a won or lost stage; null while open. */
  closed_at: Date | null;
  /** The card's `custom.<key>` entries, key → value (0088; projected like the other card keys). Written as JSON text. */
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /**
   * A summary of the stage history, kept by triggers on
   * `opportunity_stage_history` and never written by the application: every
   * stage ever entered (sorted, no repeats), and per stage with completed
   * stays (aligned arrays) their summed length in microseconds and number.
   */
  stages_entered: ColumnType<string[], never, never>;
  done_stay_stages: ColumnType<string[], never, never>;
  done_stay_micros: ColumnType<Array<string | number>, never, never>;
  done_stay_counts: ColumnType<number[], never, never>;
}
export type OpportunityRow = Selectable<OpportunityTable>;
export type NewOpportunityRow = Insertable<OpportunityTable>;
export type OpportunityUpdate = Updateable<OpportunityTable>;

/** One stay of an opportunity in a stage: entered when moved in, left when moved out (null while there). */
export interface OpportunityStageHistoryTable {
  id: Generated<number>;
  opportunity_id: string;
  pipeline_id: string;
  /** The stage it came from; null for the first stay. */
  from_stage_id: string | null;
  to_stage_id: string;
  entered_at: Date;
  left_at: Date | null;
  moved_by: string | null;
}
export type OpportunityStageHistoryRow = Selectable<OpportunityStageHistoryTable>;

export interface QuoteTable {
  id: Generated<string>;
  opportunity_id: string;
  team_id: string;
  customer_id: string;
  title: string;
  status: Generated<QuoteStatus>;
  currency: Generated<string>;
  /** QuoteItemDto[] as JSON. */
  items: ColumnType<unknown, string, string>;
  tax_percent: Numeric;
  subtotal: Numeric;
  tax: Numeric;
  total: Numeric;
  valid_until: string | null;
  notes: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type QuoteRow = Selectable<QuoteTable>;
export type NewQuoteRow = Insertable<QuoteTable>;
export type QuoteUpdate = Updateable<QuoteTable>;

export interface OrderTable {
  id: Generated<string>;
  opportunity_id: string;
  team_id: string;
  customer_id: string;
  contract_number: string;
  amount: Numeric;
  currency: Generated<string>;
  signed_on: string;
  status: Generated<OrderStatus>;
  quote_id: string | null;
  notes: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type OrderRow = Selectable<OrderTable>;
export type NewOrderRow = Insertable<OrderTable>;
export type OrderUpdate = Updateable<OrderTable>;
