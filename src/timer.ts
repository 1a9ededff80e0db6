/** setTimeout's longest delay, 2^31 − 1 ms (about 24.8 days), in seconds: Node fires a longer one after 1 ms. */
export const MAX_TIMER_SECONDS = (2 ** 31 - 1) / 1000;

/**
 * Calls `fn` once after `seconds`, however long: a delay beyond setTimeout's limit is waited in steps.
 * Returns the function that cancels it.
 */
export function after(seconds: number, fn: () => void): () => void {
  let remaining = seconds * 1000;
  let timer: NodeJS.Timeout;
  const step = (): void => {
    const wait = Math.min(remaining, MAX_TIMER_SECONDS * 1000);
    remaining -= wait;
    timer = setTimeout(remaining > 0 ? step : fn, wait);
  };
  step();
  return () => clearTimeout(timer);
}
