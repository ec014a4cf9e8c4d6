// Serialises async work per key (one session's group): each task starts once the previous task for the same key
// has settled, so a revoke and the engine's echo of it, or two joins and their policy triggers, never interleave.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // Tails never reject, so a failed task does not block the ones queued behind it.
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map does not grow with every group seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export const groupKey = (sessionId: string, groupId: string) => `${sessionId}\u0000${groupId}`;
