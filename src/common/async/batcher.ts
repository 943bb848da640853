/**
 * Requests that arrive within a few milliseconds of each other run as one call of `run`, which
 * answers each item in order. A batch goes at once when `full()` says nobody else will join, else
 * after `waitMs`. A failure of `run` fails every request of its batch.
 */
export class Batcher<I, O> {
  private waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly full: (waiting: number) => boolean,
    private readonly waitMs: number,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.full(this.waiting.length)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.waitMs);
    });
  }

  /** A batch that waits for a request that will not come (its delivery ended) goes at once. */
  recheck(): void {
    if (this.waiting.length && this.full(this.waiting.length)) this.flush();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (!batch.length) return;
    this.run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.resolve(out[i])),
      (e) => batch.forEach((b) => b.reject(e)),
    );
  }
}
