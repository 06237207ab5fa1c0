/**
 * Keeps a list of customers, opportunities or tasks current while it is open:
 * listens to the record events of `schema/wire/socket-events.ts` (sent only to
 * those who may read the record), gathers the changes of a short window and
 * asks the host to refetch once, and remembers which rows changed so the list
 * can highlight them briefly. A reconnect refetches too (events may have been
 * missed meanwhile). The server has already filtered by access; the host's own
 * query decides whether a changed record still belongs in the list (a customer
 * reassigned away leaves "mine").
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RecordChangedDto, RecordEventName } from '../../../schema/wire/socket-events.ts';
import { SocketController } from './socket-controller.ts';

/** Changes arriving within this window are fetched together. */
export const LIVE_LIST_DEBOUNCE_MS = 300;
/** How long a changed row stays highlighted. */
export const LIVE_ROW_HIGHLIGHT_MS = 2_500;

export interface LiveListOptions {
  events: readonly RecordEventName[];
  /** Refetch: `changes` are the events of the window (empty after a reconnect: refetch everything). */
  refresh: (changes: readonly RecordChangedDto[]) => void | Promise<void>;
  /** Only events passing this count (e.g. the tasks of one customer). */
  accept?: (e: RecordChangedDto, event: RecordEventName) => boolean;
}

export class LiveListController implements ReactiveController {
  private queued: RecordChangedDto[] = [];
  private reconnected = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Row id → when its highlight ends. */
  private readonly fresh = new Map<string, number>();
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveListOptions,
  ) {
    host.addController(this);
    const on: Partial<Record<RecordEventName, (e: RecordChangedDto) => void>> = {};
    for (const event of options.events) on[event] = (e) => this.receive(e, event);
    new SocketController(host, {
      on,
      onConnect: (_socket, reconnected) => {
        if (!reconnected) return;
        this.reconnected = true;
        this.schedule();
      },
    });
  }

  /** True while the row's change is recent enough to show. */
  isFresh(id: string): boolean {
    return (this.fresh.get(id) ?? 0) > Date.now();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
    clearTimeout(this.clearTimer);
    this.queued = [];
    this.fresh.clear();
  }

  private receive(e: RecordChangedDto, event: RecordEventName): void {
    if (this.options.accept && !this.options.accept(e, event)) return;
    this.queued.push(e);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), LIVE_LIST_DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    const changes = this.reconnected ? [] : this.queued;
    this.queued = [];
    this.reconnected = false;
    await this.options.refresh(changes);
    const until = Date.now() + LIVE_ROW_HIGHLIGHT_MS;
    for (const c of changes) this.fresh.set(c.id, until);
    this.host.requestUpdate();
    clearTimeout(this.clearTimer);
    this.clearTimer = setTimeout(() => {
      const now = Date.now();
      for (const [id, end] of this.fresh) if (end <= now) this.fresh.delete(id);
      this.host.requestUpdate();
    }, LIVE_ROW_HIGHLIGHT_MS);
  }
}
