/**
 * The access policy as a matrix: every (resource, action) pair the policy knows ×
 * role × same / other / no team × owner or not, against the rule table of
 * docs/security.md (*Access policy*). The table is typed so that a new action
 * without a row does not compile.
 */
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type ActionOn,
  type Actor,
  type Resource,
  type ResourceType,
  can,
  mayAssignOwner,
} from '../../schema/policy/access.ts';
import { type ScopedType, homeScope, readScope, reportScope, scopeAllows, scopeTeam } from '../../schema/policy/scope.ts';
import { REPORT_KINDS } from '../../schema/wire/reports.ts';
import { ROLES, type Role } from '../../schema/wire/user.ts';

const TEAM = 'team-a';
const OTHER_TEAM = 'team-b';
const SOMEONE = 'someone-else';

type TeamRelation = 'same' | 'other' | 'none';
interface Relation {
  team: TeamRelation;
  /** The actor owns the record (owner, assignee — or, for a user record, is that user). */
  owner: boolean;
}

/**
 * Who a rule lets through, for one role:
 * any — every actor of the role; team — those of the record's team; own — of the team and owning it;
 * teamOrSelf — of the team, or the record is their own; member — anyone with a team; never — nobody.
 */
type Reach = 'any' | 'team' | 'own' | 'teamOrSelf' | 'member' | 'never';
type Row = Record<Role, Reach>;

const reaches = (reach: Reach, rel: Relation): boolean => {
  switch (reach) {
    case 'any':
      return true;
    case 'team':
      return rel.team === 'same';
    case 'own':
      return rel.team === 'same' && rel.owner;
    case 'teamOrSelf':
      return rel.team === 'same' || rel.owner;
    case 'member':
      return rel.team !== 'none';
    case 'never':
      return false;
    default: {
      const never: never = reach;
      throw new Error(never);
    }
  }
};

const ALL: Row = { admin: 'any', manager: 'team', rep: 'team' };
const MANAGERS: Row = { admin: 'any', manager: 'team', rep: 'never' };
const ADMINS: Row = { admin: 'any', manager: 'never', rep: 'never' };

type Key = { [T in ResourceType]: `${T}:${ActionOn<T>}` }[ResourceType];

/** The rule table (docs/security.md): every action of every resource, for a live record. */
const TABLE: Record<Key, Row> = {
  'customer:read': ALL,
  'customer:create': ALL,
  'customer:write': ALL,
  'customer:reassign': MANAGERS,
  'customer:archive': MANAGERS,
  'customer:export': ALL,
  'customer:import': ALL,
  'opportunity:read': ALL,
  'opportunity:create': ALL,
  'opportunity:write': ALL,
  'opportunity:reassign': MANAGERS,
  'task:read': ALL,
  'task:create': ALL,
  // Reps change (and hand over) the tasks assigned to them or created by them.
  'task:write': { admin: 'any', manager: 'team', rep: 'own' },
  'task:reassign': { admin: 'any', manager: 'team', rep: 'own' },
  'pipeline:read': ALL,
  'pipeline:write': ALL,
  'pipeline:present': MANAGERS,
  'report:read': { admin: 'any', manager: 'member', rep: 'member' },
  'report:export': { admin: 'any', manager: 'member', rep: 'member' },
  'user:read': { admin: 'any', manager: 'teamOrSelf', rep: 'teamOrSelf' },
  'user:handover': { admin: 'any', manager: 'teamOrSelf', rep: 'never' },
  'team:read': ALL,
  'import:read': ALL,
  'import:archive': MANAGERS,
  // A rep follows and undoes the bulk edits they ran themselves.
  'handover:read': { admin: 'any', manager: 'team', rep: 'own' },
  'handover:undo': { admin: 'any', manager: 'team', rep: 'own' },
  'workspace:administer': ADMINS,
};

/** An archived customer: read-only for reps, still changed by managers and admins. */
const ARCHIVED_CUSTOMER: Record<ActionOn<'customer'>, Row> = {
  read: ALL,
  create: ALL,
  write: MANAGERS,
  reassign: MANAGERS,
  archive: MANAGERS,
  export: ALL,
  import: ALL,
};

function actorFor(role: Role, rel: Relation): Actor {
  const teamId = rel.team === 'same' ? TEAM : rel.team === 'other' ? OTHER_TEAM : null;
  return { id: `${role}-${rel.team}-${rel.owner ? 'owner' : 'not'}`, role, teamId };
}

/** The resource of `type` in TEAM, owned by the actor or by someone else. */
function resourceFor(type: ResourceType, actor: Actor, rel: Relation, opts: { archived?: boolean } = {}): Resource {
  const owner = rel.owner ? actor.id : SOMEONE;
  switch (type) {
    case 'customer':
      return { type, teamId: TEAM, ownerId: owner, archived: opts.archived ?? false };
    case 'opportunity':
      return { type, teamId: TEAM, ownerId: owner };
    case 'task':
      return { type, teamId: TEAM, assigneeId: owner, createdBy: SOMEONE };
    case 'pipeline':
      return { type, teamIds: [TEAM, 'team-c'] };
    case 'report':
      return { type, kind: 'forecast' };
    case 'user':
      // One's own user record is of one's own team.
      return { type, id: owner, teamId: rel.owner ? actor.teamId : TEAM };
    case 'team':
      return { type, id: TEAM };
    case 'import':
      return { type, teamId: TEAM };
    case 'handover':
      return { type, teamId: TEAM, actorId: owner };
    case 'workspace':
      return { type };
    default: {
      const never: never = type;
      throw new Error(never);
    }
  }
}

const RELATIONS: Relation[] = (['same', 'other', 'none'] as const).flatMap((team) => [true, false].map((owner) => ({ team, owner })));

interface Case {
  name: string;
  actor: Actor;
  action: Action;
  resource: Resource;
  expected: boolean;
}

function casesOf(rows: Record<string, Row>, make: (type: ResourceType, actor: Actor, rel: Relation) => Resource, prefix = ''): Case[] {
  const out: Case[] = [];
  for (const [key, row] of Object.entries(rows)) {
    const [type, action] = key.split(':') as [ResourceType, Action];
    for (const role of ROLES) {
      for (const rel of RELATIONS) {
        const actor = actorFor(role, rel);
        out.push({
          name: `${prefix}${key} by ${role}, ${rel.team} team, ${rel.owner ? 'owner' : 'not owner'}`,
          actor,
          action,
          resource: make(type, actor, rel),
          expected: reaches(row[role], rel),
        });
      }
    }
  }
  return out;
}

const MATRIX: Case[] = [
  ...casesOf(TABLE, (type, actor, rel) => resourceFor(type, actor, rel)),
  ...casesOf(
    Object.fromEntries(Object.entries(ARCHIVED_CUSTOMER).map(([action, row]) => [`customer:${action}`, row])),
    (type, actor, rel) => resourceFor(type, actor, rel, { archived: true }),
    'archived ',
  ),
];

describe('the access matrix', () => {
  it('covers every role, team relation and ownership for each action', () => {
    // 28 actions + 7 on archived customers, × 3 roles × 3 team relations × owner or not.
    expect(MATRIX).toHaveLength((28 + 7) * 3 * 3 * 2);
    // Neither all-yes nor all-no: the table decides something.
    expect(MATRIX.filter((c) => c.expected).length).toBeGreaterThan(100);
    expect(MATRIX.filter((c) => !c.expected).length).toBeGreaterThan(100);
  });

  it.each(MATRIX.map((c) => [`${c.name} → ${c.expected}`, c] as const))('%s', (_name, { actor, action, resource, expected }) => {
    expect(can(actor, action as ActionOn<typeof resource.type>, resource)).toBe(expected);
  });

  it('a task’s creator changes it like its assignee; other reps of the team only read it', () => {
    const rep: Actor = { id: 'r1', role: 'rep', teamId: TEAM };
    const created = { type: 'task', teamId: TEAM, assigneeId: 'r2', createdBy: 'r1' } as const;
    const neither = { ...created, createdBy: 'm1' } as const;
    expect(can(rep, 'write', created)).toBe(true);
    expect(can(rep, 'reassign', created)).toBe(true);
    expect(can(rep, 'write', neither)).toBe(false);
    expect(can(rep, 'read', neither)).toBe(true);
    expect(can({ ...rep, teamId: OTHER_TEAM }, 'write', created)).toBe(false);
  });

  it('a pipeline is read by the teams that use it, whichever of them', () => {
    const pipeline = { type: 'pipeline', teamIds: [OTHER_TEAM, TEAM] } as const;
    expect(can({ id: 'r', role: 'rep', teamId: TEAM }, 'write', pipeline)).toBe(true);
    expect(can({ id: 'r', role: 'rep', teamId: 'team-z' }, 'read', pipeline)).toBe(false);
    expect(can({ id: 'a', role: 'admin', teamId: null }, 'write', { type: 'pipeline', teamIds: [] })).toBe(true);
    expect(can({ id: 'm', role: 'manager', teamId: TEAM }, 'read', { type: 'pipeline', teamIds: [] })).toBe(false);
  });

  it('refuses an action the resource does not know (a caller that cast around the types)', () => {
    const admin: Actor = { id: 'a', role: 'admin', teamId: null };
    expect(can(admin, 'archive' as never, { type: 'opportunity', teamId: TEAM, ownerId: null })).toBe(false);
    expect(can(admin, 'administer' as never, { type: 'customer', teamId: TEAM, ownerId: null, archived: false })).toBe(false);
  });
});

describe('the reassign rule (mayAssignOwner)', () => {
  const rep = { id: 'me', role: 'rep' } as const;
  const manager = { id: 'boss', role: 'manager' } as const;
  const admin = { id: 'root', role: 'admin' } as const;
  it.each([
    // [who, isNew, from, to, allowed]
    [rep, true, null, null, true],
    [rep, true, null, 'me', true],
    [rep, true, null, 'other', false],
    [rep, false, 'other', 'other', true],
    [rep, false, 'me', 'me', true],
    [rep, false, null, 'me', false],
    [rep, false, 'me', 'other', false],
    [rep, false, 'me', null, false],
    [rep, false, 'other', 'me', false],
    [manager, false, 'me', 'other', true],
    [manager, true, null, 'other', true],
    [manager, false, 'other', null, true],
    [admin, false, 'x', 'y', true],
  ] as const)('%o new=%s %s → %s: %s', (who, isNew, from, to, allowed) => {
    expect(mayAssignOwner(who, { isNew, from, to })).toBe(allowed);
  });
});

describe('list scopes', () => {
  const SCOPED: ScopedType[] = ['customer', 'opportunity', 'task', 'import', 'team', 'user'];

  it.each(ROLES.flatMap((role) => RELATIONS.map((rel) => ({ role, ...rel }))))(
    'the SQL scope of $role ($team team, owner: $owner) admits exactly the rows `can read` admits',
    ({ role, team, owner }) => {
      const rel = { team, owner };
      const actor = actorFor(role, rel);
      for (const type of SCOPED) {
        const resource = resourceFor(type, actor, rel);
        const row =
          resource.type === 'team'
            ? { teamId: resource.id }
            : resource.type === 'user'
              ? { teamId: resource.teamId, ownerId: resource.id }
              : { teamId: (resource as { teamId: string }).teamId, ownerId: rel.owner ? actor.id : SOMEONE };
        expect(scopeAllows(readScope(actor, type), row), `${type}`).toBe(can(actor, 'read', resource));
      }
    },
  );

  it('admins see every team; others their team; a non-admin without a team nothing but their own user record', () => {
    expect(readScope({ id: 'a', role: 'admin', teamId: TEAM }, 'customer')).toEqual({ kind: 'all' });
    expect(readScope({ id: 'm', role: 'manager', teamId: TEAM }, 'task')).toEqual({ kind: 'team', teamId: TEAM });
    expect(readScope({ id: 'r', role: 'rep', teamId: TEAM }, 'opportunity')).toEqual({ kind: 'team', teamId: TEAM });
    expect(readScope({ id: 'r', role: 'rep', teamId: null }, 'customer')).toEqual({ kind: 'none' });
    expect(readScope({ id: 'r', role: 'rep', teamId: null }, 'user')).toEqual({ kind: 'own', userId: 'r', teamId: null });
  });

  it('a list starts from the user’s own team, an admin’s too when they have one', () => {
    expect(homeScope({ id: 'a', role: 'admin', teamId: TEAM }, 'task')).toEqual({ kind: 'team', teamId: TEAM });
    expect(homeScope({ id: 'a', role: 'admin', teamId: null }, 'task')).toEqual({ kind: 'all' });
    expect(homeScope({ id: 'r', role: 'rep', teamId: null }, 'task')).toEqual({ kind: 'none' });
  });

  it.each(
    ROLES.flatMap((role) =>
      (['same', 'none'] as const).flatMap((team) =>
        REPORT_KINDS.map((kind) => {
          const expected =
            role === 'admin'
              ? 'all'
              : team === 'none'
                ? 'none'
                : role === 'rep' && kind !== 'funnel' && kind !== 'leaderboard'
                  ? 'own'
                  : 'team';
          return { role, team, kind, expected };
        }),
      ),
    ),
  )('the $kind report of a $role ($team team) covers $expected', ({ role, team, kind, expected }) => {
    const actor = actorFor(role, { team, owner: false });
    const scope = reportScope(actor, kind);
    expect(scope.kind).toBe(expected);
    if (scope.kind === 'own') expect(scope).toEqual({ kind: 'own', userId: actor.id, teamId: TEAM });
    expect(scopeTeam(scope)).toBe(expected === 'team' || expected === 'own' ? TEAM : null);
    // Reading a report at all agrees with its scope.
    expect(can(actor, 'read', { type: 'report', kind })).toBe(expected !== 'none');
  });

  it('an own scope admits the user’s rows of its team only', () => {
    const own = { kind: 'own', userId: 'me', teamId: TEAM } as const;
    expect(scopeAllows(own, { teamId: TEAM, ownerId: 'me' })).toBe(true);
    expect(scopeAllows(own, { teamId: OTHER_TEAM, ownerId: 'me' })).toBe(false);
    expect(scopeAllows(own, { teamId: TEAM, ownerId: 'you' })).toBe(false);
    expect(scopeAllows(own, { teamId: TEAM })).toBe(false);
  });
});
