/**
 * Who may do what: the one access policy of Tandem (docs/security.md, *Access policy*).
 *
 * Pure functions over values — an actor `{id, role, teamId}` and a resource's
 * `{teamId, ownerId, …}` — shared by the server (routes, services, document kinds,
 * Socket.IO handlers, reports) and the client (which hides what the server would
 * refuse). Nothing here reads a database: callers load the row, then ask.
 *
 * The rules, in short: admins see and change every team's records; managers and
 * reps see their own team's (a non-admin without a team sees none); reps may not
 * give records to others, archive or merge them, or present a meeting; only
 * admins administer the workspace (users, teams, pipelines, categories).
 * The list scopes that SQL filters use come from scope.ts, built on the same rule.
 */
import type { ReportKind } from '../wire/reports.ts';
import type { Role } from '../wire/user.ts';

/** The one asking: the signed-in user, or a notification's recipient. */
export interface Actor {
  id: string;
  role: Role;
  teamId: string | null;
}

export type CustomerResource = { type: 'customer'; teamId: string; ownerId: string | null; archived: boolean };
export type OpportunityResource = { type: 'opportunity'; teamId: string; ownerId: string | null };
export type TaskResource = { type: 'task'; teamId: string; assigneeId: string | null; createdBy: string | null };
/** A pipeline and the teams that use it; its board document is written by the same people who read it. */
export type PipelineResource = { type: 'pipeline'; teamIds: readonly string[] };
export type ReportResource = { type: 'report'; kind: ReportKind };
export type UserResource = { type: 'user'; id: string; teamId: string | null };
export type TeamResource = { type: 'team'; id: string };
export type ImportResource = { type: 'import'; teamId: string };
/** A team operation (a handover, a bulk edit): its team (null when it spanned teams) and who ran it. */
export type HandoverResource = { type: 'handover'; teamId: string | null; actorId: string };
/** Workspace settings: users, teams, pipelines and stages, customer categories. */
export type WorkspaceResource = { type: 'workspace' };

export type Resource =
  | CustomerResource
  | OpportunityResource
  | TaskResource
  | PipelineResource
  | ReportResource
  | UserResource
  | TeamResource
  | ImportResource
  | HandoverResource
  | WorkspaceResource;

export type ResourceType = Resource['type'];

/**
 * The actions each resource knows. Contacts, follow-ups and account notes are
 * parts of a customer and follow its `read` / `write`; quotes and orders follow
 * their opportunity; `archive` covers archive, restore, merge and undoing an import.
 */
export interface ResourceActions {
  customer: 'read' | 'create' | 'write' | 'reassign' | 'archive' | 'export' | 'import';
  opportunity: 'read' | 'create' | 'write' | 'reassign';
  task: 'read' | 'create' | 'write' | 'reassign';
  pipeline: 'read' | 'write' | 'present';
  report: 'read' | 'export';
  /** `handover`: give everything the user owns to colleagues (docs/team-operations.md). */
  user: 'read' | 'handover';
  team: 'read';
  import: 'read' | 'archive';
  handover: 'read' | 'undo';
  workspace: 'administer';
}

export type ActionOn<T extends ResourceType> = ResourceActions[T];
export type Action = ResourceActions[ResourceType];

export const isAdmin = (a: Pick<Actor, 'role'>): boolean => a.role === 'admin';

/** Managers and admins: they give records to others, archive and merge them, present meetings. */
export const isManagerOrAdmin = (a: Pick<Actor, 'role'>): boolean => a.role === 'admin' || a.role === 'manager';

/** Managers and reps belong to a team; an admin may have none. */
export const needsTeam = (role: Role): boolean => role !== 'admin';

/** Admins see every team; others their own (none without a team). */
export function seesTeam(a: Pick<Actor, 'role' | 'teamId'>, teamId: string): boolean {
  return isAdmin(a) || (a.teamId !== null && a.teamId === teamId);
}

function customerRule(a: Actor, action: ActionOn<'customer'>, c: CustomerResource): boolean {
  switch (action) {
    case 'read':
    case 'export':
    case 'create':
    case 'import':
      return seesTeam(a, c.teamId);
    case 'write':
      // An archived record is read-only for reps; managers and admins may still correct it.
      return seesTeam(a, c.teamId) && (!c.archived || isManagerOrAdmin(a));
    case 'reassign':
    case 'archive':
      return seesTeam(a, c.teamId) && isManagerOrAdmin(a);
    default:
      return unknownAction(action);
  }
}

function opportunityRule(a: Actor, action: ActionOn<'opportunity'>, o: OpportunityResource): boolean {
  switch (action) {
    case 'read':
    case 'create':
    case 'write':
      return seesTeam(a, o.teamId);
    case 'reassign':
      return seesTeam(a, o.teamId) && isManagerOrAdmin(a);
    default:
      return unknownAction(action);
  }
}

function taskRule(a: Actor, action: ActionOn<'task'>, t: TaskResource): boolean {
  switch (action) {
    case 'read':
    case 'create':
      return seesTeam(a, t.teamId);
    case 'write':
    // Whoever may change a task may hand it to a teammate (tasks are passed around in a team).
    case 'reassign':
      // Other reps of the team see a task read-only.
      return seesTeam(a, t.teamId) && (isManagerOrAdmin(a) || t.assigneeId === a.id || t.createdBy === a.id);
    default:
      return unknownAction(action);
  }
}

function pipelineRule(a: Actor, action: ActionOn<'pipeline'>, p: PipelineResource): boolean {
  const uses = isAdmin(a) || (a.teamId !== null && p.teamIds.includes(a.teamId));
  switch (action) {
    case 'read':
    case 'write':
      return uses;
    case 'present':
      return uses && isManagerOrAdmin(a);
    default:
      return unknownAction(action);
  }
}

function reportRule(a: Actor, action: ActionOn<'report'>, _r: ReportResource): boolean {
  switch (action) {
    case 'read':
    case 'export':
      // What the report covers is reportScope (scope.ts); a non-admin without a team has nothing to see.
      return isAdmin(a) || a.teamId !== null;
    default:
      return unknownAction(action);
  }
}

function userRule(a: Actor, action: ActionOn<'user'>, u: UserResource): boolean {
  switch (action) {
    case 'read':
      return isAdmin(a) || a.id === u.id || (a.teamId !== null && a.teamId === u.teamId);
    case 'handover':
      // A manager hands over the book of a member of the team (or their own), never another team's.
      return isAdmin(a) || (a.role === 'manager' && (a.id === u.id || (a.teamId !== null && a.teamId === u.teamId)));
    default:
      return unknownAction(action);
  }
}

function teamRule(a: Actor, action: ActionOn<'team'>, t: TeamResource): boolean {
  switch (action) {
    case 'read':
      return seesTeam(a, t.id);
    default:
      return unknownAction(action);
  }
}

function importRule(a: Actor, action: ActionOn<'import'>, i: ImportResource): boolean {
  switch (action) {
    case 'read':
      return seesTeam(a, i.teamId);
    case 'archive':
      return seesTeam(a, i.teamId) && isManagerOrAdmin(a);
    default:
      return unknownAction(action);
  }
}

function handoverRule(a: Actor, action: ActionOn<'handover'>, h: HandoverResource): boolean {
  switch (action) {
    case 'read':
    case 'undo':
      // Managers follow and undo their team's operations; a rep only the ones they ran.
      if (h.teamId === null) return isAdmin(a);
      return seesTeam(a, h.teamId) && (isManagerOrAdmin(a) || h.actorId === a.id);
    default:
      return unknownAction(action);
  }
}

function workspaceRule(a: Actor, action: ActionOn<'workspace'>, _w: WorkspaceResource): boolean {
  switch (action) {
    case 'administer':
      return isAdmin(a);
    default:
      return unknownAction(action);
  }
}

/** An action the types do not know (a caller that cast its way here) is refused. */
function unknownAction(action: never): false {
  void action;
  return false;
}

const RULES: { [T in ResourceType]: (a: Actor, action: ActionOn<T>, r: Extract<Resource, { type: T }>) => boolean } = {
  customer: customerRule,
  opportunity: opportunityRule,
  task: taskRule,
  pipeline: pipelineRule,
  report: reportRule,
  user: userRule,
  team: teamRule,
  import: importRule,
  handover: handoverRule,
  workspace: workspaceRule,
};

/** Whether `actor` may do `action` to `resource`. */
export function can<R extends Resource>(actor: Actor, action: ActionOn<R['type']>, resource: R): boolean {
  const rule = RULES[resource.type] as (a: Actor, action: Action, r: Resource) => boolean;
  return rule(actor, action, resource);
}

/** The workspace settings, as a resource. */
export const WORKSPACE: WorkspaceResource = { type: 'workspace' };

/** A change of a record's owner (customer, opportunity): from whom, to whom, on a new record or not. */
export interface OwnerChange {
  isNew: boolean;
  from: string | null;
  to: string | null;
}

/**
 * The reassign rule, for someone already allowed to write the record: managers
 * and admins set any owner (the owner's team is checked with the data); a rep
 * leaves the owner as it is or, creating a record, takes it or leaves it unowned.
 */
export function mayAssignOwner(actor: Pick<Actor, 'id' | 'role'>, change: OwnerChange): boolean {
  if (change.from === change.to || isManagerOrAdmin(actor)) return true;
  return change.isNew && (change.to === null || change.to === actor.id);
}
