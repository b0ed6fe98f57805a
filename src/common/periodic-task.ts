/**
 * A background pass every `intervalMs` that never overlaps itself, does not keep the process
 * alive, and is awaited on shutdown (the lease sweep, event retention).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly pass: () => Promise<unknown>) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.pass().finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
