/** A fixed-window counter: the window starts at the first hit and lasts windowMs. */
export interface WindowCount {
  count: number;
  /** Epoch milliseconds when the window ends and the count resets. */
  resetAt: number;
}

/**
 * Counter storage behind every limit (per-IP collects, per-key dialect limits, login attempts).
 * In-process by default; Redis when REDIS_URL is set so several instances share one count.
 */
export abstract class RateLimitStore {
  /** Adds `cost` to the key's window and returns the new count. */
  abstract hit(key: string, windowMs: number, cost?: number): Promise<WindowCount>;
  /**
   * Takes up to `cost` back from the key's open window (a reservation not used, e.g. a login
   * that succeeded), atomically; never below zero, and never into a window that has closed.
   */
  abstract release(key: string, cost?: number): Promise<void>;
  /** Current count without adding to it; null when no window is open. */
  abstract peek(key: string): Promise<WindowCount | null>;
  abstract close(): Promise<void>;
}

export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<string, WindowCount>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepEveryMs = 60_000) {
    super();
    // Expired windows are dropped periodically so idle keys do not accumulate.
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += cost;
    return { ...w };
  }

  async release(key: string, cost = 1): Promise<void> {
    const w = this.windows.get(key);
    if (w && w.resetAt > Date.now()) w.count = Math.max(0, w.count - cost);
  }

  async peek(key: string): Promise<WindowCount | null> {
    const w = this.windows.get(key);
    return w && w.resetAt > Date.now() ? { ...w } : null;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
