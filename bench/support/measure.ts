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
  // A baseline at or below zero (a message that reached the raw client before the sandbox's answer reached the
  // bench) has no meaningful ratio.
  const ratio = !baseline ? '' : baseline.value > 0 ? `  (${Number((value / baseline.value).toPrecision(3))}× ${baseline.label})` : `  (${baseline.label} ${baseline.value.toFixed(2)}: no ratio)`;
  console.log(`${label.padEnd(58)} ${value.toFixed(value < 10 ? 2 : 0).padStart(10)} ${unit}${ratio}`);
}

/** Starts a child process and resolves with the first stdout JSON line that matches (by default, the first). */
export function spawnJsonLine(command: string, args: string[], env: NodeJS.ProcessEnv = {}, match: (line: any) => boolean = () => true): Promise<{ child: ChildProcess; line: any }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onLine = (text: string) => {
      if (!text.startsWith('{')) return;
      const line = JSON.parse(text);
      if (!match(line)) return;
      lines.off('line', onLine);
      lines.on('line', () => undefined);
      resolve({ child, line });
    };
    lines.on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
  });
}

/** Resident set size of a process, from /proc (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb * 1024;
}

/** CPU time (user + system, ms) a process has used, from /proc (Linux). */
export async function cpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The process's mean CPU use over the next `seconds`, in % of a core. */
export async function meanCpuPercent(pid: number, seconds: number): Promise<number> {
  const before = await cpuMs(pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((await cpuMs(pid)) - before) / (seconds * 10);
}

/** Waits until the process uses under `maxPercent` of a core over a 1 s window; returns that last reading. */
export async function waitForIdle(pid: number, maxPercent = 5, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await cpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const percent = ((await cpuMs(pid)) - before) / 10;
    if (percent < maxPercent || Date.now() > deadline) return percent;
  }
}
