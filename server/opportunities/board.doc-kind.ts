/** The `board:<pipelineId>` live document kind: access, validation and projection. */
import * as Y from 'yjs';
import { BOARD_DOC_ROOTS, type BoardStage, DEFAULT_CURRENCY, type StageKind } from '../../schema/wire/board.ts';
import type { DB } from '../db/database.ts';
import { AppError } from '../http/app-error.ts';
import type { NotificationEvent } from '../notifications/notification-events.ts';
import { getLostReasonFreeText, listLostReasons } from '../lost-reasons/lost-reason.repository.ts';
import { listStages } from '../pipelines/pipeline.repository.ts';
import type { RefusedPart } from '../realtime/doc-kind.ts';
import type { DocChange, DocKind, Refusal } from '../realtime/doc-kind.ts';
import type { User } from '../users/user.ts';
import { type PipelineResource, can } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import {
  type BoardChangePlan,
  type BoardProblem,
  type BoardProjection,
  checkLostReason,
  planBoardChanges,
  readBoard,
  readCards,
  stageEntryMatches,
} from './board-doc.ts';
import {
  findCustomerTeams,
  findOpportunityTeams,
  findPipelineTeamIds,
  findUserTeams,
  pipelineIsLive,
} from './board-doc.repository.ts';
import { projectBoard } from './board.projection.ts';
import { checkCardCustomValues } from './board-custom.ts';

const toError = (p: BoardProblem) =>
  p.status === 403 ? new AppError('forbidden', 403, p.message, p.field) : new AppError('validation', 400, p.message, p.field);

/**
 * The projection compares only the cards that stored updates touched, not the
 * whole board (2,000 rows per move would dominate a move's cost): `validate`
 * notes the touched card ids of each update it accepts, and `extract` reads
 * the cards of every note since the last projection — or, without notes, the
 * whole board.
 */
export function boardDocKind({ db }: { db: DB }): DocKind<BoardProjection, NotificationEvent> {
  return {
    name: 'board',
    roots: BOARD_DOC_ROOTS,

    async access(user, id) {
      if (!(await pipelineIsLive(db, id))) return 'hidden';
      const pipeline: PipelineResource = { type: 'pipeline', teamIds: [...(await findPipelineTeamIds(db, id))] };
      return can(user, 'write', pipeline) ? 'write' : can(user, 'read', pipeline) ? 'read' : 'hidden';
    },

    async validate(change) {
      const { refusal, cardIds, assigns } = await checkBoardUpdate(db, change);
      if (!refusal && cardIds.size > 0) change.note(cardIds);
      // An assignment notifies its owner from the projection: do not let it wait out the window.
      if (!refusal && assigns) change.prompt();
      return refusal;
    },

    extract(doc, _now, notes) {
      if (notes === null) return readBoard(doc, DEFAULT_CURRENCY);
      const union = new Set<string>();
      for (const ids of notes as Array<ReadonlySet<string>>) for (const id of ids) union.add(id);
      return readCards(doc, union, DEFAULT_CURRENCY);
    },

    async project(uow, docs) {
      // Boards are few and each projects only the cards its updates touched: one at a time.
      for (const { id, projection, user } of docs) {
        const result = await projectBoard(uow.trx, id, projection, user, uow.now);
        // Open opportunity lists refetch them (record-events.ts), after commit.
        for (const w of result.written) await uow.emit({ type: 'changed', entity: 'opportunity', ...w });
        // A won deal makes its customer a won customer (server/contracts/won-customer.ts).
        for (const w of result.wins) await uow.emit({ type: 'won', ...w, actorId: user?.id ?? null });
        // Each new owner hears of it (notification-events.ts), in this transaction, delivered after it commits.
        for (const c of result.ownerChanges) {
          await uow.emit({
            type: 'assignment',
            actorId: user?.id ?? null,
            recipientId: c.ownerId,
            previousRecipientId: c.previousOwnerId,
            entity: { type: 'opportunity', id: c.opportunityId, name: c.name },
            teamId: c.teamId,
          });
        }
      }
    },
  };
}

/**
 * Checks an update; answers the first refused part or null, the ids of the cards it touched, and
 * whether it gives a card an owner (new cards included): someone may have to hear of it.
 */
async function checkBoardUpdate(
  db: DB,
  change: DocChange,
): Promise<{ refusal: Refusal | null; cardIds: ReadonlySet<string>; assigns: boolean }> {
  const plan = planBoardChanges(change.after, change.changes, change.user);
  const cardIds = new Set(plan.cards.keys());
  const assigns = [...plan.cards.values()].some((t) => t.isNew || t.changed.has('ownerId'));
  if (plan.problem) return { refusal: { error: toError(plan.problem), part: plan.problem.part }, cardIds, assigns };
  return { refusal: await checkPlan(db, change, plan), cardIds, assigns };
}

async function checkPlan(db: DB, change: DocChange, plan: BoardChangePlan): Promise<Refusal | null> {
  if (plan.cards.size === 0 && plan.stages.size === 0) return null;

  const stages = await listStages(db, change.id);
  const live = new Map(stages.filter((s) => s.deletedAt === null).map((s) => [s.id, s]));

  // The stage mirror: only what the pipeline settings stored.
  const stageMap = change.after.getMap('stages');
  for (const id of plan.stages) {
    const s = live.get(id);
    const stored: BoardStage | null = s
      ? { name: s.name, nameZh: s.nameZh, probability: s.probability, kind: s.kind, position: s.position }
      : null;
    const entry = stageMap.get(id);
    if (!stageEntryMatches(entry instanceof Y.Map ? entry.toJSON() : entry, stored)) {
      return { error: new AppError('validation', 400, 'Stages are changed in the pipeline settings', 'stages'), part: { of: stageMap, keys: [id] } };
    }
  }
  if (plan.cards.size === 0) return null;

  const cardMap = change.after.getMap('cards');
  const cardOf = (id: string) => (cardMap.get(id) as Y.Map<unknown>).toJSON() as Record<string, unknown>;
  const opportunities = await findOpportunityTeams(db, [...plan.cards.keys()]);
  // Customers are looked up only for new cards, customer changes, and cards not yet projected.
  const customerIds = new Set<string>();
  const ownerIds = new Set<string>();
  for (const touch of plan.cards.values()) {
    const card = cardOf(touch.id);
    const needsCustomer = touch.isNew || touch.changed.has('customerId') || !opportunities.has(touch.id);
    if (needsCustomer) customerIds.add(card.customerId as string);
    const oldCustomer = touch.changed.get('customerId');
    if (typeof oldCustomer === 'string') customerIds.add(oldCustomer);
    if ((touch.isNew || touch.changed.has('ownerId')) && typeof card.ownerId === 'string') ownerIds.add(card.ownerId);
  }
  const customers = await findCustomerTeams(db, [...customerIds]);
  const owners = await findUserTeams(db, [...ownerIds]);
  // Access is checked when a connection opens; a team taken off the pipeline since then may not write.
  // (Those who write every pipeline need its teams only to check customers.)
  const everyPipeline = readScope(change.user, 'pipeline').kind === 'all';
  const pipelineTeams = customerIds.size > 0 || !everyPipeline ? await findPipelineTeamIds(db, change.id) : new Set<string>();
  if (!can(change.user, 'write', { type: 'pipeline', teamIds: [...pipelineTeams] })) {
    return { error: new AppError('forbidden', 403, 'Your team no longer uses this pipeline', 'cards'), part: 'all' };
  }
  const lostReasons = [...plan.cards.values()].some((t) => t.isNew || t.changed.has('lostReason')) ? await listedLostReasons(db) : null;
  const refused = checkCards(change.user, plan.cards.values(), cardOf, {
    live,
    customers,
    opportunities,
    owners,
    pipelineTeams,
    lostReasons,
    pipelineId: change.id,
  });
  if (!refused) {
    // Custom values, once the cards themselves are accepted.
    const teamOf = (id: string) => opportunities.get(id)?.teamId ?? customers.get(cardOf(id).customerId as string)?.teamId;
    return checkCardCustomValues(db, cardMap, plan.cards.values(), teamOf);
  }
  const { touch, error, keys } = refused;
  // A new card is taken off the board whole; an existing one gets back the keys at fault.
  const part: RefusedPart = touch.isNew
    ? { of: cardMap, keys: [touch.id] }
    : { of: cardMap.get(touch.id) as Y.Map<unknown>, keys: keys.length > 0 ? keys : [...touch.changed.keys()] };
  return { error, part };
}

interface Lookups {
  pipelineId: string;
  live: Map<string, { kind: StageKind }>;
  customers: Map<string, { teamId: string; archived: boolean }>;
  opportunities: Map<string, { teamId: string; pipelineId: string }>;
  owners: Map<string, { teamId: string | null; active: boolean }>;
  pipelineTeams: Set<string>;
  /** The lost reasons to pick from, when the workspace allows no free text; null: any reason. */
  lostReasons: Set<string> | null;
}

/** The listed lost reasons (both labels) when free text is off and the list is not empty, else null. */
async function listedLostReasons(db: DB): Promise<Set<string> | null> {
  if (await getLostReasonFreeText(db)) return null;
  const listed = await listLostReasons(db, { archived: false });
  return listed.length === 0 ? null : new Set(listed.flatMap((r) => [r.label_en, r.label_zh]));
}

interface CardTouchLike {
  id: string;
  isNew: boolean;
  changed: Map<string, unknown>;
}

/** The first card refused, why, and the keys at fault (none: every key the update changed). */
function checkCards(
  user: User,
  touches: Iterable<CardTouchLike>,
  cardOf: (id: string) => Record<string, unknown>,
  l: Lookups,
): { touch: CardTouchLike; error: AppError; keys: string[] } | null {
  for (const touch of touches) {
    const refuse = (error: AppError, keys: string[] = []) => ({ touch, error, keys });
    const card = cardOf(touch.id);
    const stored = l.opportunities.get(touch.id);
    if (touch.isNew && stored) return refuse(new AppError('validation', 400, 'That opportunity is already on a board', 'cards'));
    if (stored && stored.pipelineId !== l.pipelineId) return refuse(new AppError('validation', 400, 'That opportunity is on another board', 'cards'));

    // The card's team: its stored team, or for a new card the team of its customer.
    const customer = l.customers.get(card.customerId as string);
    const oldCustomerId = touch.changed.get('customerId');
    const cardTeam = stored?.teamId ?? (typeof oldCustomerId === 'string' ? l.customers.get(oldCustomerId)?.teamId : customer?.teamId);
    // A card of no known team (no such customer) is refused below to those who write every team's cards, here to others.
    const mayWrite =
      cardTeam === undefined
        ? readScope(user, 'opportunity').kind === 'all'
        : can(user, 'write', { type: 'opportunity', teamId: cardTeam, ownerId: null });
    if (!mayWrite) {
      return refuse(new AppError('forbidden', 403, 'This opportunity belongs to another team', 'cards'));
    }
    if (touch.isNew || touch.changed.has('customerId')) {
      if (!customer) return refuse(new AppError('validation', 400, 'No such customer', 'customerId'), ['customerId']);
      if (customer.archived && touch.isNew) return refuse(new AppError('validation', 400, 'That customer is archived', 'customerId'), ['customerId']);
      if (cardTeam !== undefined && customer.teamId !== cardTeam) {
        return refuse(new AppError('validation', 400, 'The customer must be of the opportunity’s team', 'customerId'), ['customerId']);
      }
      if (!l.pipelineTeams.has(customer.teamId)) {
        return refuse(new AppError('validation', 400, 'The customer’s team does not use this pipeline', 'customerId'), ['customerId']);
      }
    }
    if ((touch.isNew || touch.changed.has('ownerId')) && typeof card.ownerId === 'string') {
      const owner = l.owners.get(card.ownerId);
      if (!owner?.active || owner.teamId !== (cardTeam ?? customer?.teamId)) {
        return refuse(new AppError('validation', 400, 'The owner must be an active member of the opportunity’s team', 'ownerId'), ['ownerId']);
      }
    }
    if (touch.isNew || touch.changed.has('stageId') || touch.changed.has('lostReason')) {
      const stage = l.live.get(card.stageId as string);
      if (!stage) {
        return refuse(new AppError('validation', 400, 'That stage does not exist in this pipeline (it may have just been deleted)', 'stageId'), ['stageId', 'lostReason']);
      }
      const p = checkLostReason(stage.kind, card.lostReason);
      if (p) return refuse(toError(p), ['stageId', 'lostReason']);
      if (stage.kind === 'lost' && l.lostReasons && !l.lostReasons.has(String(card.lostReason).trim())) {
        return refuse(new AppError('validation', 400, 'Pick one of the lost reasons the workspace lists', 'lostReason'), ['stageId', 'lostReason']);
      }
    }
  }
  return null;
}
