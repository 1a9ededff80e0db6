export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  attempts: number;
  /** Delay before the second attempt in ms (default 200); doubles each time. */
  baseDelayMs: number;
  /** Longest delay between attempts in ms (default 5000). */
  maxDelayMs: number;
  /** Time limit of one request in ms (default 30000). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5000, timeoutMs: 30000 };

/** Delay before attempt `attempt + 1` (attempt counts from 1): exponential with up to 25% jitter. */
export function backoffDelay(options: RetryOptions, attempt: number): number {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(raw * (0.75 + Math.random() * 0.25));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
