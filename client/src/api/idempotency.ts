/**
 * One `Idempotency-Key` per form submission (schema/wire/idempotency.ts): the same key while
 * the same content is sent again (a double click, a retry after the network failed, when the
 * first send may have arrived), a new key once the content changes or the server answered.
 * The server then creates the record once and answers the repeat with the first answer.
 */
import { ApiError } from './http.ts';

/** 128 random bits as hex. crypto.getRandomValues, unlike randomUUID, works on plain http too. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class SubmissionKey {
  #content: string | null = null;
  #key = '';

  /** The key to send `content` with. */
  for(content: unknown): string {
    const text = JSON.stringify(content);
    if (text !== this.#content) {
      this.#content = text;
      this.#key = newIdempotencyKey();
    }
    return this.#key;
  }

  /**
   * After a send: once the server answered (created, or refused — a refusal keeps nothing), the
   * next submission is a new one; after a network failure the first send may have arrived, so
   * sending the same content again keeps the key.
   */
  settled(error?: unknown): void {
    // Kept in the outbox (offline/outbox.ts) under this key: sending it again is the same entry.
    if (error instanceof ApiError && (error.code === 'network' || error.code === 'queued')) return;
    this.#content = null;
  }
}
