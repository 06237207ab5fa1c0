/** The status a page shows for a live document (client/src/realtime/doc-status.ts): never "live" without an open socket and a network. */
import { describe, expect, it } from 'vitest';
import { type DocStatusInput, editable, liveStatus } from '../../client/src/realtime/doc-status.ts';

const base: DocStatusInput = { status: 'synced', socketOpen: true, online: true, pending: 0, error: null };

describe('liveStatus', () => {
  it('is live only when synced, the socket open and the browser online', () => {
    expect(liveStatus(base)).toEqual({ kind: 'live' });
    expect(liveStatus({ ...base, online: false })).toEqual({ kind: 'offline', pending: 0 });
    expect(liveStatus({ ...base, socketOpen: false })).toEqual({ kind: 'offline', pending: 0 });
  });

  it('counts the changes waiting while offline', () => {
    expect(liveStatus({ ...base, status: 'offline', socketOpen: false, pending: 3 })).toEqual({ kind: 'offline', pending: 3 });
    expect(liveStatus({ ...base, status: 'offline', socketOpen: true, online: false, pending: 3 })).toEqual({ kind: 'offline', pending: 3 });
  });

  it('is syncing while a socket is open before the sync, or while changes are still unconfirmed', () => {
    expect(liveStatus({ ...base, status: 'offline', pending: 2 })).toEqual({ kind: 'syncing', pending: 2 });
    expect(liveStatus({ ...base, pending: 1 })).toEqual({ kind: 'syncing', pending: 1 });
  });

  it('says why it stopped, and stays connecting with nothing to show', () => {
    expect(liveStatus({ ...base, status: 'refused', socketOpen: false, error: 'forbidden' })).toEqual({ kind: 'refused', reason: 'forbidden' });
    expect(liveStatus({ ...base, status: 'refused', socketOpen: false })).toEqual({ kind: 'refused', reason: null });
    expect(liveStatus({ ...base, status: 'connecting', socketOpen: false, online: false })).toEqual({ kind: 'connecting' });
  });

  it('lets the user edit whenever there is a copy, offline included', () => {
    expect(editable({ kind: 'offline', pending: 0 })).toBe(true);
    expect(editable({ kind: 'syncing', pending: 1 })).toBe(true);
    expect(editable({ kind: 'live' })).toBe(true);
    expect(editable({ kind: 'connecting' })).toBe(false);
    expect(editable({ kind: 'refused', reason: null })).toBe(false);
  });
});
