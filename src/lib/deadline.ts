// Bounding a promise by a time: the work goes on past the deadline, its result unused.

/** `work`, or `timedOut()`'s error once `ms` pass first. */
export async function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    // A work that loses the race keeps running; race() has already attached its rejection handler.
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
