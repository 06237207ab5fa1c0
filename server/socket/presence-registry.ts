/**
 * Who is on which presence room, in this process. Pure bookkeeping: a user
 * with several tabs on the same room counts once and leaves when the last
 * tab leaves.
 */
import type { PresenceUser } from '../../schema/wire/socket-events.ts';

interface Member {
  name: string;
  sockets: Set<string>;
}

export class PresenceRegistry {
  private readonly rooms = new Map<string, Map<string, Member>>();

  /** Adds a socket; true when the room's user list changed. */
  join(room: string, user: PresenceUser, socketId: string): boolean {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Map();
      this.rooms.set(room, members);
    }
    const member = members.get(user.id);
    if (member) {
      member.sockets.add(socketId);
      return false;
    }
    members.set(user.id, { name: user.name, sockets: new Set([socketId]) });
    return true;
  }

  /** Removes a socket; true when the room's user list changed. */
  leave(room: string, userId: string, socketId: string): boolean {
    const members = this.rooms.get(room);
    const member = members?.get(userId);
    if (!members || !member?.sockets.delete(socketId)) return false;
    if (member.sockets.size > 0) return false;
    members.delete(userId);
    if (members.size === 0) this.rooms.delete(room);
    return true;
  }

  /** The users on a room, sorted by name then id. */
  users(room: string): PresenceUser[] {
    const members = this.rooms.get(room);
    if (!members) return [];
    return [...members]
      .map(([id, m]) => ({ id, name: m.name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  get roomCount(): number {
    return this.rooms.size;
  }
}
