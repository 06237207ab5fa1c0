/**
 * A policy scope (schema/policy/scope.ts) as a SQL condition: the one place
 * where "which rows may this user see" becomes a WHERE clause. Repositories
 * name their columns; the decision itself is the policy's.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../../schema/policy/scope.ts';

export interface ScopeColumns {
  /** The row's team column, e.g. `customers.team_id`. */
  team: string;
  /** The column naming the row's own user (owner, assignee — or `id` for users); without it, `own` sees nothing. */
  own?: string;
}

/** `true` for every team, the team's rows, the user's own rows, or `false`. */
export function inScope(scope: Scope, columns: ScopeColumns): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'team':
      return sql<boolean>`${sql.ref(columns.team)} = ${scope.teamId}`;
    case 'own': {
      if (!columns.own) return sql<boolean>`false`;
      const own = sql<boolean>`${sql.ref(columns.own)} = ${scope.userId}`;
      return scope.teamId === null ? own : sql<boolean>`(${own} and ${sql.ref(columns.team)} = ${scope.teamId})`;
    }
    case 'none':
      return sql<boolean>`false`;
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}
