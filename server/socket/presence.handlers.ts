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
 */
import {
  type PresenceEventDto,
  type PresenceResource,
  parsePresenceResource,
  presencePayload,
  presenceResourceName,
  type SocketAck,
} from '../../schema/wire/socket-events.ts';
import type { AppContext } from '../context.ts';
import type { PresenceRegistry } from './presence-registry.ts';
import type { AppServer, AppSocket } from './socket-types.ts';

/** How many presence rooms one socket may be in at once. */
export const MAX_PRESENCE_ROOMS_PER_SOCKET = 16;

type Refusal = { ok: false; error: { code: 'validation' | 'not_found' | 'forbidden' | 'conflict'; message: string } };

const refuse = (code: Refusal['error']['code'], message: string): Refusal => ({ ok: false, error: { code, message } });

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
  const { teamId, role } = socket.data;
  switch (parsed.kind) {
    case 'customer': {
      const row = await ctx.db.selectFrom('customers').select('team_id').where('id', '=', parsed.id).executeTakeFirst();
      if (!row || (role !== 'admin' && row.team_id !== teamId)) return refuse('not_found', 'No such customer');
      return { ok: true, room: `presence:${row.team_id}:${resource}`, resource };
    }
    case 'board':
    case 'customers':
      if (!teamId) return refuse('forbidden', 'Join a team first');
      return { ok: true, room: `presence:${teamId}:${resource}`, resource };
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

function broadcast(io: AppServer, registry: PresenceRegistry, room: string, resource: PresenceResource): PresenceEventDto {
  const event: PresenceEventDto = { resource, users: registry.users(room) };
  // The registry is this node's: broadcast to this node's sockets only, so that
  // nodes behind a Redis adapter do not overwrite each other's lists.
  io.local.to(room).emit('presence', event);
  return event;
}

export function registerPresenceHandlers(ctx: AppContext, io: AppServer, registry: PresenceRegistry, socket: AppSocket): void {
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
      registry.join(r.room, { id: socket.data.userId, name: socket.data.name }, socket.id);
      reply(ack, { ok: true, data: broadcast(io, registry, r.room, r.resource) }, 'presence:join');
    } catch (err) {
      ctx.log.error({ err }, 'presence:join failed');
      reply(ack, { ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } }, 'presence:join');
    }
  });

  socket.on('presence:leave', async (raw, ack) => {
    try {
      const r = await resolveRoom(ctx, socket, raw);
      if (!r.ok) return reply(ack, r, 'presence:leave');
      leaveRoom(io, registry, socket, r.room);
      reply(ack, { ok: true, data: { resource: r.resource } }, 'presence:leave');
    } catch (err) {
      ctx.log.error({ err }, 'presence:leave failed');
      reply(ack, { ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } }, 'presence:leave');
    }
  });

  socket.on('disconnect', () => {
    for (const room of [...socket.data.presence.keys()]) leaveRoom(io, registry, socket, room);
  });
}

function leaveRoom(io: AppServer, registry: PresenceRegistry, socket: AppSocket, room: string): void {
  const resource = socket.data.presence.get(room) as PresenceResource | undefined;
  if (resource === undefined) return;
  socket.data.presence.delete(room);
  void socket.leave(room);
  if (registry.leave(room, socket.data.userId, socket.id)) broadcast(io, registry, room, resource);
}
