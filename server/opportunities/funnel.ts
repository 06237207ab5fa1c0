/**
 * The sales funnel of one pipeline: per live stage, in board order, how many
 * opportunities are in it now and their summed amount (DESIGN.md: open and
 * closed opportunities currently in each stage, as the board shows them).
 * Pure: takes the stages and the opportunities, returns the numbers.
 */
import type { StageKind } from '../../schema/wire/board.ts';

export interface FunnelStageInput {
  id: string;
  name: string;
  nameZh: string | null;
  kind: StageKind;
  probability: number;
  position: number;
}

/** One opportunity, or with `count` the total of that many in one stage. */
export interface FunnelOpportunityInput {
  stageId: string;
  amount: number;
  count?: number;
}

export interface FunnelStage {
  stageId: string;
  name: string;
  nameZh: string | null;
  kind: StageKind;
  probability: number;
  count: number;
  amount: number;
}

/** Sums in cents so that 0.1 + 0.2 stays 0.3. Opportunities of unknown stages are left out. */
export function computeFunnel(
  stages: readonly FunnelStageInput[],
  opportunities: Iterable<FunnelOpportunityInput>,
): { stages: FunnelStage[] } {
  const cents = new Map<string, { count: number; cents: number }>();
  for (const s of stages) cents.set(s.id, { count: 0, cents: 0 });
  for (const o of opportunities) {
    const acc = cents.get(o.stageId);
    if (!acc) continue;
    acc.count += o.count ?? 1;
    acc.cents += Math.round(o.amount * 100);
  }
  const ordered = [...stages].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  return {
    stages: ordered.map((s) => {
      const acc = cents.get(s.id) ?? { count: 0, cents: 0 };
      return {
        stageId: s.id,
        name: s.name,
        nameZh: s.nameZh,
        kind: s.kind,
        probability: s.probability,
        count: acc.count,
        amount: acc.cents / 100,
      };
    }),
  };
}
