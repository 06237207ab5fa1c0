/**
 * Presence lists out of the sockets in a room, whichever node holds them.
 * Pure: a user with several tabs (on one node or several) counts once.
 */
import { type PresenceResource, type PresenceUser, parsePresenceResource, presenceResourceName } from '../../schema/wire/socket-events.ts';

/** The room of a presence resource within a team: two teams never share one, even for a guessed id. */
export const presenceRoom = (teamId: string, resource: PresenceResource) => `presence:${teamId}:${resource}`;

const ROOM_PREFIX = 'presence:';

/** The resource a presence room is about, or null when `room` is not a presence room. */
export function resourceOfRoom(room: string): PresenceResource | null {
  if (!room.startsWith(ROOM_PREFIX)) return null;
  const afterTeam = room.indexOf(':', ROOM_PREFIX.length);
  if (afterTeam < 0) return null;
  const parsed = parsePresenceResource(room.slice(afterTeam + 1));
  return parsed ? presenceResourceName(parsed) : null;
}

/** Each user once (the first name seen wins), sorted by name then id. */
export function presenceList(users: Iterable<PresenceUser>): PresenceUser[] {
  const byId = new Map<string, PresenceUser>();
  for (const u of users) if (!byId.has(u.id)) byId.set(u.id, { id: u.id, name: u.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Answers from other nodes arrive through Redis: keep only well-formed users. */
export function presenceUsersOf(answer: unknown): PresenceUser[] {
  if (!Array.isArray(answer)) return [];
  return answer.filter(
    (u): u is PresenceUser => typeof u === 'object' && u !== null && typeof u.id === 'string' && typeof u.name === 'string',
  );
}
