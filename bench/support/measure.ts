// Small timing and process helpers shared by benchmark suites.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export function report(label: string, value: number, unit: string, baseline?: { label: string; value: number }): void {
  const ratio = baseline ? `  (${Number((value / baseline.value).toPrecision(3))}× ${baseline.label})` : '';
  console.log(`${label.padEnd(58)} ${value.toFixed(value < 10 ? 2 : 0).padStart(10)} ${unit}${ratio}`);
}

/** Starts a child process and resolves with the first stdout line parsed as JSON (its "listening" line). */
export function spawnJsonLine(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; line: any }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, line: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
  });
}
