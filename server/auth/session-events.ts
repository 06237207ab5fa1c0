import { EventEmitter } from 'node:events';

/**
 * In-process notice that sessions ended (sign-out, password change,
 * deactivation), so live connections can close at once. Live connections
 * also re-check their session periodically, which covers expiry and ends
 * made by another process.
 */
export class SessionEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  revoked(sessionIds: string[]): void {
    if (sessionIds.length > 0) this.emitter.emit('revoked', sessionIds);
  }

  onRevoked(listener: (sessionIds: string[]) => void): () => void {
    this.emitter.on('revoked', listener);
    return () => this.emitter.off('revoked', listener);
  }
}
