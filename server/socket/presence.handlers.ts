/**
 * Presence over Socket.IO: `presence:join` / `presence:leave` with a
 * resource, answered by `presence` events to the resource's room.
 *
 * Rooms are keyed by team as well as resource (`presence:<teamId>:<resource>`),
 * so two teams can never share a presence room even for a guessed id.
 * - `customer:<id>`: the customer must exist in the user's team (admins: any team;
 *   the room is the customer's team's).
 * - `board:<id>`: the id must be a UUID; the room is the user's own team's.
 *   Once a pipelines table exists, the board's team must be checked like a customer's.
 * - `customers`: the customer list of the user's team.
 *
 * Nothing is kept besides the rooms themselves: a list is made from the
 * sockets in the room when it changes. With several nodes (the Redis adapter),
 * the node where the change happened asks the others for the users of their
 * sockets in that room (`presence:users`: only ids and names travel, never
 * handshakes or session data) and broadcasts the merged list to the room on
 * every node. If Redis or another node does not answer, the list holds what
 * did answer (at least this node's sockets) and a warning is logged once.
 */
import {
  type PresenceEventDto,
  type PresenceResource,
  type PresenceUser,
  parsePresenceResource,
  presencePayload,
  presenceResourceName,
  type SocketAck,
} from '../../schema/wire/socket-events.ts';
import type { AppContext } from '../context.ts';
import { can } from '../../schema/policy/access.ts';
import { customerResource } from '../customers/customer.ts';
import { presenceList, presenceRoom, presenceUsersOf, resourceOfRoom } from './presence-list.ts';
import type { AppServer, AppSocket } from './socket-types.ts';

/** How many presence rooms one socket may be in at once. */
export const MAX_PRESENCE_ROOMS_PER_SOCKET = 16;
/**
 * With several nodes: how long a list waits for the other nodes before it is
 * made from this node's sockets only. Longer than the adapter's own request
 * timeout (5 s, after which the answers received so far are used), so this
 * only ends waits on a Redis that stopped answering.
 */
export const PRESENCE_QUERY_TIMEOUT_MS = 6_000;
/**
 * With several nodes: a room's list is broadcast once more this long after
 * the last change made on this node. Lists made on two nodes at the same time
 * may reach Redis in either order; the later re-check puts the current one last.
 */
export const PRESENCE_SETTLE_MS = 500;
/**
 * With several nodes: after Redis comes back, every room's list is sent again
 * this long later. Longer than the Redis client's largest reconnection delay
 * (2 s and jitter), so the adapter's other connections are back too.
 */
export const PRESENCE_RESYNC_MS = 2_500;

/** How presence reaches the other nodes (the Redis adapter's connection); absent with one node. */
export interface PresenceCluster {
  isReady(): boolean;
  onReconnect(listener: () => void): () => void;
}

export interface Presence {
  /** Handles a new socket's presence events and its disconnection. */
  register(socket: AppSocket): void;
  /** Stops re-checks and queries; called before the sockets are disconnected. */
  close(): void;
}

type Refusal = { ok: false; error: { code: 'validation' | 'not_found' | 'forbidden' | 'conflict'; message: string } };

const refuse = (code: Refusal['error']['code'], message: string): Refusal => ({ ok: false, error: { code, message } });

const INTERNAL = { ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } } as const;

/** The presence room for a resource as this user may see it, or a refusal. */
async function resolveRoom(
  ctx: AppContext,
  socket: AppSocket,
  raw: unknown,
): Promise<{ ok: true; room: string; resource: PresenceResource } | Refusal> {
  const payload = presencePayload.safeParse(raw);
  if (!payload.success) return refuse('validation', 'Send {resource: "customer:<id>" | "board:<id>" | "customers"}');
  const parsed = parsePresenceResource(payload.data.resource);
  if (!parsed) return refuse('validation', 'Unknown presence resource');
  const resource = presenceResourceName(parsed);
  const { teamId } = socket.data;
  const actor = { id: socket.data.userId, role: socket.data.role, teamId };
  switch (parsed.kind) {
    case 'customer': {
      const row = await ctx.db.selectFrom('customers').select(['team_id', 'owner_id', 'archived_at']).where('id', '=', parsed.id).executeTakeFirst();
      if (!row || !can(actor, 'read', customerResource(row))) return refuse('not_found', 'No such customer');
      return { ok: true, room: presenceRoom(row.team_id, resource), resource };
    }
    case 'board':
    case 'customers':
      if (!teamId) return refuse('forbidden', 'Join a team first');
      return { ok: true, room: presenceRoom(teamId, resource), resource };
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

export function createPresence(ctx: AppContext, io: AppServer, cluster?: PresenceCluster): Presence {
  const nsp = io.of('/');
  const settling = new Map<string, NodeJS.Timeout>();
  let closed = false;
  let degraded = false;

  function degrade(reason: string, err?: unknown): void {
    if (!degraded) ctx.log.warn({ err, reason }, 'presence lists may miss the users of other nodes until they answer again');
    degraded = true;
  }

  function recover(): void {
    if (degraded) ctx.log.info('presence lists span all nodes again');
    degraded = false;
  }

  /** The users of this node's sockets in a room. */
  function localUsers(room: string): PresenceUser[] {
    const users: PresenceUser[] = [];
    for (const id of nsp.adapter.rooms.get(room) ?? []) {
      const socket = nsp.sockets.get(id);
      if (socket) users.push({ id: socket.data.userId, name: socket.data.name });
    }
    return users;
  }

  /** The users of the other nodes' sockets in a room; null when Redis could not be asked. */
  function otherNodes(room: string): Promise<PresenceUser[] | null> {
    if (!cluster) return Promise.resolve([]);
    if (!cluster.isReady()) {
      degrade('redis is not connected');
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const guard = setTimeout(() => {
        degrade('redis did not answer');
        resolve(null);
      }, PRESENCE_QUERY_TIMEOUT_MS);
      guard.unref();
      const done = (users: PresenceUser[] | null) => {
        clearTimeout(guard);
        resolve(users);
      };
      const ack = (err: Error | null, answers: unknown[]) => {
        if (err) degrade('another node did not answer in time', err);
        else recover();
        done(answers.flatMap(presenceUsersOf));
      };
      // Through the adapter rather than io.serverSideEmit, which drops the
      // adapter's promise: a Redis error must end here, not as an unhandled rejection.
      Promise.resolve(nsp.adapter.serverSideEmit(['presence:users', room, ack])).catch((err: unknown) => {
        degrade('redis refused the request', err);
        done(null);
      });
    });
  }

  /** The room's users; `reached` is false when only this node's could be counted. */
  async function usersOf(room: string): Promise<{ users: PresenceUser[]; reached: boolean }> {
    const others = await otherNodes(room);
    return { users: presenceList([...localUsers(room), ...(others ?? [])]), reached: others !== null };
  }

  function send(room: string, event: PresenceEventDto): void {
    // A list computed while the node was closing (a socket that left just before): the Redis
    // client may be closed by now, and a broadcast through it would fail unheard.
    if (closed) return;
    // Without Redis, a broadcast would wait in the client's queue and reach
    // every node late with a list of this node only: keep it local instead.
    if (cluster && !cluster.isReady()) io.local.to(room).emit('presence', event);
    else io.to(room).emit('presence', event);
  }

  function recheck(room: string, resource: PresenceResource): void {
    usersOf(room)
      .then(({ users, reached }) => {
        // A list of this node only would be worse than what the tabs have; the resend after reconnection catches up.
        if (reached && !closed) send(room, { resource, users });
      })
      .catch((err: unknown) => ctx.log.warn({ err }, 'presence re-check failed'));
  }

  function settleLater(room: string, resource: PresenceResource): void {
    if (!cluster || closed) return;
    const pending = settling.get(room);
    if (pending) {
      pending.refresh();
      return;
    }
    const timer = setTimeout(() => {
      settling.delete(room);
      recheck(room, resource);
    }, PRESENCE_SETTLE_MS);
    timer.unref();
    settling.set(room, timer);
  }

  /** After a socket joined: the list, sent to the room and returned for the ack. */
  async function joined(room: string, resource: PresenceResource): Promise<PresenceEventDto> {
    const event: PresenceEventDto = { resource, users: (await usersOf(room)).users };
    send(room, event);
    settleLater(room, resource);
    return event;
  }

  /** After a socket of `userId` left: the room hears of it unless the user is still there in another tab. */
  async function left(room: string, resource: PresenceResource, userId: string): Promise<void> {
    if (closed) return;
    const { users } = await usersOf(room);
    if (!users.some((u) => u.id === userId)) send(room, { resource, users });
    settleLater(room, resource);
  }

  async function leaveRoom(socket: AppSocket, room: string): Promise<void> {
    const resource = socket.data.presence.get(room) as PresenceResource | undefined;
    if (resource === undefined) return;
    socket.data.presence.delete(room);
    await socket.leave(room);
    await left(room, resource, socket.data.userId);
  }

  const answerNode = (room: string, ack: (users: PresenceUser[]) => void) => {
    if (typeof ack !== 'function') return;
    ack(typeof room === 'string' && resourceOfRoom(room) !== null ? localUsers(room) : []);
  };
  if (cluster) io.on('presence:users', answerNode);

  // After an outage, lists sent meanwhile reached this node's tabs only: send every room's list again.
  let resync: NodeJS.Timeout | undefined;
  const offReconnect = cluster?.onReconnect(() => {
    clearTimeout(resync);
    resync = setTimeout(() => {
      for (const room of nsp.adapter.rooms.keys()) {
        const resource = resourceOfRoom(room);
        if (resource && !closed) recheck(room, resource);
      }
    }, PRESENCE_RESYNC_MS);
    resync.unref();
  });

  function register(socket: AppSocket): void {
    const reply = <T>(ack: unknown, result: SocketAck<T>, event: string) => {
      if (typeof ack === 'function') ack(result);
      else if (!result.ok) socket.emit('app:error', { ...result.error, event });
    };

    socket.on('presence:join', async (raw, ack) => {
      try {
        const r = await resolveRoom(ctx, socket, raw);
        if (!r.ok) return reply(ack, r, 'presence:join');
        if (!socket.connected) return;
        if (!socket.data.presence.has(r.room) && socket.data.presence.size >= MAX_PRESENCE_ROOMS_PER_SOCKET) {
          return reply(ack, refuse('conflict', `At most ${MAX_PRESENCE_ROOMS_PER_SOCKET} presence rooms per connection`), 'presence:join');
        }
        socket.data.presence.set(r.room, r.resource);
        await socket.join(r.room);
        reply(ack, { ok: true, data: await joined(r.room, r.resource) }, 'presence:join');
      } catch (err) {
        ctx.log.error({ err }, 'presence:join failed');
        reply(ack, INTERNAL, 'presence:join');
      }
    });

    socket.on('presence:leave', async (raw, ack) => {
      try {
        const r = await resolveRoom(ctx, socket, raw);
        if (!r.ok) return reply(ack, r, 'presence:leave');
        await leaveRoom(socket, r.room);
        reply(ack, { ok: true, data: { resource: r.resource } }, 'presence:leave');
      } catch (err) {
        ctx.log.error({ err }, 'presence:leave failed');
        reply(ack, INTERNAL, 'presence:leave');
      }
    });

    // By now Socket.IO has taken the socket out of all its rooms.
    socket.on('disconnect', () => {
      const { userId } = socket.data;
      for (const [room, resource] of socket.data.presence) {
        left(room, resource as PresenceResource, userId).catch((err: unknown) => ctx.log.error({ err }, 'presence update on disconnect failed'));
      }
      socket.data.presence.clear();
    });
  }

  return {
    register,
    close() {
      closed = true;
      clearTimeout(resync);
      for (const timer of settling.values()) clearTimeout(timer);
      settling.clear();
      offReconnect?.();
      io.off('presence:users', answerNode);
    },
  };
}
