// The pause before trying again: doubling from `baseMs` with each failure in a row, up to `capMs`.
export const doublingDelayMs = (failures: number, baseMs: number, capMs: number): number => Math.min(baseMs * 2 ** (failures - 1), capMs);
