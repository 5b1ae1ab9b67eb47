/**
 * Group commit. Collects the items submitted during one turn of the event loop
 * (the requests that arrived together), and while a batch is being flushed,
 * everything submitted meanwhile, and hands them to `flush` as one batch: one
 * batch at a time, so that under load many small writes share one commit
 * (on both databases a commit, not the statements before it, is most of what
 * a small write costs), and when idle a write waits for nothing but one turn.
 * Each submitter gets its own item's outcome, and only once `flush` has
 * settled, that is, after the commit that made its write durable.
 */
export class BatchWindow<Item, Result> {
  /** Bounds one statement's size; the rest waits for the next batch. */
  static readonly MAX_BATCH = 256;
  private pending: Array<Waiting<Item, Result>> = [];
  private scheduled = false;
  private flushing = false;

  /** `flush` answers one outcome per item, in order; if it throws, every item of the batch fails. */
  constructor(private readonly flush: (items: Item[]) => Promise<Array<PromiseSettledResult<Result>>>) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.pending.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every request that arrived with this one has joined.
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending.splice(0, BatchWindow.MAX_BATCH);
      this.flushing = true;
      void this.settle(batch).finally(() => {
        this.flushing = false;
        this.schedule();
      });
    });
  }

  private async settle(batch: Array<Waiting<Item, Result>>): Promise<void> {
    let outcomes: Array<PromiseSettledResult<Result>>;
    try {
      outcomes = await this.flush(batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome.status === 'fulfilled') waiting.resolve(outcome.value);
      else waiting.reject(outcome.reason);
    });
  }
}

interface Waiting<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (reason: unknown) => void;
}
