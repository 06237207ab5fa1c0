/**
 * A create kept in the outbox instead of sent (ApiError `queued`, api/http.ts):
 * a form closes as if it had saved and says so, rather than showing an error.
 * Forms fire `QUEUED_EVENT` (`detail`: what was typed as its name or title);
 * the page that holds the form closes it and shows `queuedText()` as a notice.
 */
import { ApiError } from '../api/http.ts';
import { errorMessage } from '../ui/error-message.ts';

/** The name, for listeners in code; templates write `@outbox-queued`. */
export const QUEUED_EVENT = 'outbox-queued';

export function isQueued(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'queued';
}

/** The event a form fires when its create went to the outbox. */
export function queuedEvent(label: string): CustomEvent<string> {
  return new CustomEvent<string>(QUEUED_EVENT, { detail: label, bubbles: true, composed: true });
}

/** "Saved on this device: it will be sent when you are back online." */
export const queuedText = (): string => errorMessage(new ApiError('queued', 0, ''));
