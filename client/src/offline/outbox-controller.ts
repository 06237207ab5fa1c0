/**
 * The outbox entries of one kind for an element (a list showing the creates
 * that wait, "waiting to send"), kept current with the outbox's events; `sent`
 * runs when one of them reached the server, so the list can fetch it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANGED, OUTBOX_SENT, type OutboxEntry, type OutboxKind, outboxEntries, outboxEvents } from './outbox.ts';

export class OutboxController implements ReactiveController {
  /** This kind's entries, oldest first: waiting ones and refused ones. */
  entries: readonly OutboxEntry[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly kind: OutboxKind,
    private readonly sent?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    outboxEvents.addEventListener(OUTBOX_CHANGED, this.onChanged);
    outboxEvents.addEventListener(OUTBOX_SENT, this.onSent);
    void outboxEntries().then((entries) => this.set(entries));
  }

  hostDisconnected(): void {
    outboxEvents.removeEventListener(OUTBOX_CHANGED, this.onChanged);
    outboxEvents.removeEventListener(OUTBOX_SENT, this.onSent);
  }

  private set(entries: readonly OutboxEntry[]): void {
    this.entries = entries.filter((e) => e.kind === this.kind);
    this.host.requestUpdate();
  }

  private readonly onChanged = (e: Event) => this.set((e as CustomEvent<OutboxEntry[]>).detail);

  private readonly onSent = (e: Event) => {
    if ((e as CustomEvent<{ entry: OutboxEntry }>).detail.entry.kind === this.kind) this.sent?.();
  };
}
