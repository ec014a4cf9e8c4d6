// Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine (each
// process's performance clock is anchored to the system clock at its start), for latencies that begin in one
// process and end in another.
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves as `promise` does, or rejects naming `what` once `ms` have passed. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value (not undefined); rejects naming `what` (and `progress()`) on timeout. */
export async function pollUntil<T>(check: () => Promise<T | undefined> | T | undefined, { what, timeoutMs, intervalMs = 100, progress }: { what: string; timeoutMs: number; intervalMs?: number; progress?: () => string }): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${progress ? ` (${progress()})` : ''}`);
    await sleep(intervalMs);
  }
}
