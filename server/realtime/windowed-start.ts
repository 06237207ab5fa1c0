/**
 * When a queue's next run starts (the committer's and the projector's): at
 * once, on the next turn of the event loop, when the last run ended at least
 * `windowMs` ago; otherwise when the window has passed, so that what arrives
 * meanwhile joins that run.
 */
export class WindowedStart {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs: number,
    private readonly run: () => void,
  ) {}

  /** Arranges one start, unless one is arranged already. */
  schedule(): void {
    if (this.timer || this.immediate) return;
    const start = () => {
      this.cancel();
      this.run();
    };
    const wait = this.lastEnd + this.windowMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(start);
    else this.timer = setTimeout(start, wait);
  }

  /** Starts on the next turn of the event loop, whatever the window (replacing a later start). */
  soon(): void {
    if (this.immediate) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.immediate = setImmediate(() => {
      this.cancel();
      this.run();
    });
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** A run just ended: the window counts from now. */
  ended(): void {
    this.lastEnd = performance.now();
  }
}
