/**
 * Which rows of a list an actor may see, as one value that repositories turn
 * into a WHERE clause (server/db/scope.ts) — the list-side twin of `can(…, 'read', …)`
 * in access.ts: `scopeAllows(readScope(a, type), row)` agrees with `can` for every row
 * (test/unit/policy.test.ts holds them together).
 */
import type { ReportKind } from '../wire/reports.ts';
import { type Actor, isAdmin } from './access.ts';

export type Scope =
  /** Every team's rows (admins). */
  | { kind: 'all' }
  /** One team's rows. */
  | { kind: 'team'; teamId: string }
  /** The actor's own rows (owned, or the actor's own user record), within a team when one is given. */
  | { kind: 'own'; userId: string; teamId: string | null }
  /** Nothing (a manager or rep without a team). */
  | { kind: 'none' };

/** Resources listed by team. */
export type ScopedType = 'customer' | 'opportunity' | 'task' | 'import' | 'pipeline' | 'team' | 'user';

/** The rows of `type` the actor may read. */
export function readScope(actor: Actor, type: ScopedType): Scope {
  if (isAdmin(actor)) return { kind: 'all' };
  if (actor.teamId !== null) return { kind: 'team', teamId: actor.teamId };
  // Everyone sees their own user record; a non-admin without a team sees nothing else.
  return type === 'user' ? { kind: 'own', userId: actor.id, teamId: null } : { kind: 'none' };
}

/**
 * What a list shows unless asked otherwise: the actor's team when there is one
 * (an admin with a team starts from it), else all the actor may read.
 */
export function homeScope(actor: Actor, type: ScopedType): Scope {
  return actor.teamId !== null ? { kind: 'team', teamId: actor.teamId } : readScope(actor, type);
}

/**
 * The figures a report covers: admins every team's (or one they pick); managers
 * their team's; reps their own, except the funnel (the board they work on) and
 * the leaderboard (the team's standings), which show the team.
 */
export function reportScope(actor: Actor, kind: ReportKind): Scope {
  if (isAdmin(actor)) return { kind: 'all' };
  if (actor.teamId === null) return { kind: 'none' };
  if (actor.role === 'rep' && kind !== 'funnel' && kind !== 'leaderboard') return { kind: 'own', userId: actor.id, teamId: actor.teamId };
  return { kind: 'team', teamId: actor.teamId };
}

/** Whether a row (its team, and its owner or — for a user record — its id) is inside the scope. */
export function scopeAllows(scope: Scope, row: { teamId: string | null; ownerId?: string | null }): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'team':
      return row.teamId === scope.teamId;
    case 'own':
      return row.ownerId === scope.userId && (scope.teamId === null || row.teamId === scope.teamId);
    case 'none':
      return false;
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** The one team a scope is limited to, or null (every team, own rows across teams, or nothing). */
export function scopeTeam(scope: Scope): string | null {
  return scope.kind === 'team' || scope.kind === 'own' ? scope.teamId : null;
}
