/** A token bucket: `limit` tokens per `intervalMs`, refilled continuously, starting full. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit;
    this.updatedAt = now();
  }

  /** Takes a token and returns 0, or returns the ms to wait until one is available (taking nothing). */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * this.intervalMs) / this.limit);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.updatedAt;
    this.updatedAt = now;
    this.tokens = Math.min(this.limit, this.tokens + (elapsed * this.limit) / this.intervalMs);
  }
}
