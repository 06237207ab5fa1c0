/**
 * Localized wording for working offline: the live status of a document
 * (realtime/doc-status.ts) and the notice shown where a part of a page needs
 * the server. One exhaustive switch, as realtime/doc-messages.ts does.
 */
import { msg, str } from '@lit/localize';
import type { DocErrorCode } from '../realtime/doc-retry.ts';
import type { LiveStatus } from '../realtime/doc-status.ts';

export function liveStatusLabel(status: LiveStatus): string {
  switch (status.kind) {
    case 'connecting':
      return msg('Connecting…', { id: 'offline.status.connecting' });
    case 'live':
      return msg('Live', { id: 'offline.status.live' });
    case 'syncing':
      return msg('Syncing your changes…', { id: 'offline.status.syncing' });
    case 'offline':
      if (status.pending === 0) return msg('Offline: you can keep editing; changes are sent when the connection returns', { id: 'offline.status.offline' });
      if (status.pending === 1) return msg('Offline: 1 change waiting to be sent', { id: 'offline.status.offlineOne' });
      return msg(str`Offline: ${status.pending} changes waiting to be sent`, { id: 'offline.status.offlineMany' });
    case 'refused':
      return msg(str`Disconnected: ${stopReason(status.reason)}`, { id: 'offline.status.refused' });
    default:
      return status satisfies never;
  }
}

/** The short reason a document stopped, for the status line (the page's alert says more). */
function stopReason(reason: DocErrorCode | null): string {
  switch (reason) {
    case null:
      return msg('the connection was closed', { id: 'offline.reason.closed' });
    case 'unauthenticated':
      return msg('your session has ended', { id: 'offline.reason.session' });
    case 'forbidden':
    case 'not_found':
      return msg('no longer open to you', { id: 'offline.reason.access' });
    case 'rate_limited':
      return msg('too many changes at once', { id: 'offline.reason.rate' });
    case 'bad_message':
    case 'too_large':
    case 'document_full':
      return msg('a change could not be sent', { id: 'offline.reason.rejected' });
    default:
      return reason satisfies never;
  }
}

/** Where a part of a page comes from the server only, shown instead of it while offline. */
export const offlineSectionText = () => msg('Not available offline: shown again when the connection returns.', { id: 'offline.section' });

/** Above a record opened from this device's copy. */
export const offlineRecordText = () =>
  msg('You are offline: this is the copy kept on this device. Your edits are saved here and sent when the connection returns.', { id: 'offline.record' });

/** Above a list drawn from this device's copy (offline/kept-lists.ts), or from an answer older than the network loss. */
export const keptListText = (time: string) => msg(str`Offline — showing the list as of ${time}`, { id: 'offline.keptList' });

/** A kept list that had more pages than the one kept. */
export const keptFirstText = (count: number) => msg(str`Only the first ${count} were kept on this device.`, { id: 'offline.keptFirst' });

/** A create made offline, shown in its list until the outbox sends it. */
export const waitingToSendText = () => msg('Waiting to send', { id: 'offline.waitingToSend' });

/** A create made offline that the server refused (the outbox shows why). */
export const notSentText = () => msg('Could not be sent', { id: 'offline.notSent' });

/** Beside an action that needs the server, while offline. */
export const needsNetworkText = () => msg('Needs a connection', { id: 'offline.needsNetwork' });

/** A row of a kept list whose record was never opened here, so it cannot open offline. */
export const notKeptText = () => msg('Not on this device', { id: 'offline.notKept' });
