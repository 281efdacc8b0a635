// Who is calling and how fast: the API key a request carries, and a token bucket per key.

/**
 * The key a request carries: `Authorization: Bearer <key>` (also `ApiKey <key>`, as the
 * OpenSanctions API spells it), or, where a client cannot set headers (OpenRefine's
 * reconciliation), an `api_key` query parameter.
 */
export function keyFromRequest(
  authorization: string | undefined,
  query: string | undefined,
  allowQuery: boolean,
): string | undefined {
  if (authorization) {
    const m = /^\s*(?:Bearer|ApiKey|Token)\s+(\S+)\s*$/i.exec(authorization);
    return m?.[1] ?? "";
  }
  if (allowQuery && query) {
    const v = new URLSearchParams(query).get("api_key");
    if (v) return v;
  }
  return undefined;
}

/** A URL fit for a log line: an `api_key` parameter is masked. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&#]*/gi, "$1[redacted]");
}

export const RATE_DEFAULTS = {
  /** Buckets idle this long are forgotten, so the map does not grow with every key ever seen. */
  idleMs: 10 * 60_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per key: `rate` tokens a second up to `burst`. `take` answers how many
 * seconds to wait when there are not enough tokens (the Retry-After), or 0 when the request
 * may go ahead.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.rate > 0;
  }

  take(key: string, cost = 1): number {
    if (!this.enabled) return 0;
    const t = this.now();
    this.sweep(t);
    const want = Math.min(cost, this.burst);
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    if (b.tokens >= want) {
      b.tokens -= want;
      return 0;
    }
    return Math.max(1, Math.ceil((want - b.tokens) / this.rate));
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < RATE_DEFAULTS.idleMs) return;
    this.lastSweep = t;
    for (const [k, b] of this.buckets) if (t - b.at > RATE_DEFAULTS.idleMs) this.buckets.delete(k);
  }
}
