// Splits long lists so a statement's bound parameters stay under SQLite's 999-parameter limit.

/** Safe number of bound parameters per statement on every supported dialect. */
export const MAX_PARAMS = 900;

export function* chunk<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
