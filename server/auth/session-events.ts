import { EventEmitter } from 'node:events';

/**
 * In-process notice that sessions ended (sign-out, password change,
 * deactivation), so live connections can close at once. Live connections
 * also re-check their session periodically, which covers expiry and ends
 * made by another process. With several nodes, bootstrap relays ends
 * between them over Redis.
 */
export class SessionEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** `from`: 'bus' for ends another node reported (not reported onwards again). */
  revoked(sessionIds: string[], from: 'local' | 'bus' = 'local'): void {
    if (sessionIds.length > 0) this.emitter.emit('revoked', sessionIds, from);
  }

  onRevoked(listener: (sessionIds: string[], from: 'local' | 'bus') => void): () => void {
    this.emitter.on('revoked', listener);
    return () => this.emitter.off('revoked', listener);
  }
}
