// Registers a test file's set-up and tear-down as node:test hooks and hands the set-up's result to the file's own
// `before` hooks, which Node 20 starts without waiting for the ones registered earlier.
import { after, before } from 'node:test';

/**
 * `before` runs `setUp`, `after` runs `tearDown` (also when `setUp` failed part-way). Resolves with what `setUp`
 * returned; a failed set-up fails the hook (and rejects, for a `before` that awaits it).
 */
export function fixtureHooks<T>(setUp: () => Promise<T>, tearDown: () => Promise<void>): Promise<T> {
  let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
  const ready = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {}); // reported by the hook below whether or not a file awaits `ready`
  before(async () => {
    try {
      settle.resolve(await setUp());
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  });
  after(tearDown);
  return ready;
}
