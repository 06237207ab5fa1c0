/**
 * Localized wording for what DocController reports: a refused change (shown
 * beside the field it names) and why a document is not live. One exhaustive
 * switch over the error codes, as ui/error-message.ts does for the API.
 */
import { msg, str } from '@lit/localize';
import { SOURCE_LOCALE, currentLocale } from '../app/localization.ts';
import type { DocError, DocRefusal } from './doc-controller.ts';

/** A refused change: the server's reason (in its words); the field itself returns to the saved value. */
export function refusalText(refusal: DocRefusal): string {
  const reason = reasonText(refusal);
  return reason
    ? msg(str`Your last change was not accepted: ${reason}`, { id: 'doc.refused' })
    : msg('Your last change was not accepted.', { id: 'doc.refusedPlain' });
}

/**
 * Why, in the user's language. The server words its reasons in English: in
 * English they are shown as they are; in another language the common ones are
 * said by code and field, the rest generically.
 */
function reasonText(refusal: DocRefusal): string {
  if (currentLocale() === SOURCE_LOCALE) return refusal.message;
  if (refusal.code === 'forbidden') {
    return refusal.field === 'ownerId'
      ? msg('only managers and admins give this to someone else', { id: 'doc.reason.owner' })
      : msg('you may not make this change', { id: 'doc.reason.forbidden' });
  }
  switch (refusal.field) {
    case 'name':
      return msg('a name is required, of bounded length', { id: 'doc.reason.name' });
    case 'stageId':
      return msg('that stage no longer exists in this pipeline', { id: 'doc.reason.stage' });
    case 'lostReason':
      return msg('moving to a lost stage needs a reason', { id: 'doc.reason.lostReason' });
    default:
      return msg('the value is not accepted here', { id: 'doc.reason.invalid' });
  }
}

/** Why the document is not live, or only partly; `gone` is the page's wording for "no longer yours to open". */
export function docErrorText(error: DocError, gone: string): string {
  switch (error.code) {
    case 'unauthenticated':
      return msg('Your session has ended. Please sign in again.', { id: 'error.unauthenticated' });
    case 'forbidden':
    case 'not_found':
      return gone;
    case 'rate_limited':
      return msg('Too many changes at once: the live connection pauses for a few seconds. Your edits are kept and sent when it resumes.', {
        id: 'doc.error.rateLimited',
      });
    case 'bad_message':
    case 'too_large':
      return msg('Your last change was too large or malformed and could not be sent. It is kept on this page only; the connection retries in a while.', {
        id: 'doc.error.rejected',
      });
    case 'document_full':
      return msg('This record has reached its size limit: your last change could not be saved. It is kept on this page only.', {
        id: 'doc.error.full',
      });
    default:
      return error.code satisfies never;
  }
}

/** The action that drops what this tab could not send (DocController.reset), and its confirmation. */
export const discardUnsentLabel = () => msg('Discard my unsent changes', { id: 'doc.discardUnsent' });
export const discardUnsentConfirm = () =>
  msg('Discard the changes this page could not send, and show the saved version?', { id: 'doc.discardConfirm' });

/** Errors after which the local copy holds something the server will not take (reset() is the way out). */
export const isRejection = (error: DocError) => error.code === 'bad_message' || error.code === 'too_large' || error.code === 'document_full';
