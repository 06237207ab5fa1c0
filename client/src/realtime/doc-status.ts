/**
 * What a page tells the user about a live document, derived from the
 * controller's state (pure; docs/offline.md). "Live" only while a socket is
 * open, synced, and the browser believes it is online: never on hope.
 */
import type { DocErrorCode } from './doc-retry.ts';

/** The controller's own state (DocController.status). */
export type DocStatus = 'connecting' | 'synced' | 'offline' | 'refused';

export interface DocStatusInput {
  status: DocStatus;
  /** The WebSocket is open (the sync may still be under way). */
  socketOpen: boolean;
  /** `navigator.onLine`: false means certainly offline, true only maybe online. */
  online: boolean;
  /** Local changes the server has not confirmed yet. */
  pending: number;
  error: DocErrorCode | null;
}

export type LiveStatus =
  /** Nothing to show yet: neither the server nor a local copy answered. */
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Connected, exchanging what each side lacks. */
  | { kind: 'syncing'; pending: number }
  /** Working on the local copy; `pending` changes wait for the network. */
  | { kind: 'offline'; pending: number }
  /** Stopped: the reason is the error code (null: closed without one). */
  | { kind: 'refused'; reason: DocErrorCode | null };

export type LiveStatusKind = LiveStatus['kind'];

export function liveStatus(s: DocStatusInput): LiveStatus {
  switch (s.status) {
    case 'refused':
      return { kind: 'refused', reason: s.error };
    case 'connecting':
      return { kind: 'connecting' };
    case 'synced':
      if (!s.online || !s.socketOpen) return { kind: 'offline', pending: s.pending };
      return s.pending > 0 ? { kind: 'syncing', pending: s.pending } : { kind: 'live' };
    case 'offline':
      return s.online && s.socketOpen ? { kind: 'syncing', pending: s.pending } : { kind: 'offline', pending: s.pending };
    default:
      return s.status satisfies never;
  }
}

/** Whether the page may let the user edit: with a copy to edit (from the server or this browser), unless stopped. */
export const editable = (s: LiveStatus) => s.kind === 'live' || s.kind === 'syncing' || s.kind === 'offline';
