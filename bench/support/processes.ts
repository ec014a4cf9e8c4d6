// Child processes of a benchmark run (sandbox, gateway, raw Baileys clients): each is killed when the run ends,
// however it ends (finished, failed, Ctrl-C), so none outlives the bench.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { withTimeout } from './wall-clock.js';

const running = new Set<ChildProcess>();
/** children stopChild is stopping: their exit is asked for, not news */
const stopping = new WeakSet<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

let exitHooked = false;
function own<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(130);
      });
    }
  }
  return child;
}

// libsignal warns on the console whenever a peer starts a fresh Signal session; a message stream makes that
// noise between the figures. Everything else a child writes to stderr is passed on, marked with whose it is.
const LIBSIGNAL_NOISE = /^Closing open session in favor of incoming prekey bundle$/;

function forwardStderr(child: ChildProcess, what: string): void {
  createInterface({ input: child.stderr! }).on('line', (text) => {
    if (!LIBSIGNAL_NOISE.test(text)) process.stderr.write(`[${what}] ${text}\n`);
  });
}

/** With BENCH_LOG_DIR, all a child writes on stdout (its pino log) is also kept in `<dir>/<what>-<pid>.log`. */
function keepLog(child: ChildProcess, what: string): void {
  const dir = process.env.BENCH_LOG_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  child.stdout!.pipe(createWriteStream(join(dir, `${what.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${child.pid}.log`)));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** A program to start: Node with `args` unless `command` names another (such as bin/waygate). */
export interface Launch {
  command?: string;
  args: string[];
  /** on top of this process's environment */
  env?: Record<string, string>;
}

/** pino's level for errors: a child's log lines at or above it are passed on, so a failed run says why. */
const PINO_ERROR = 50;

/**
 * Starts the program and resolves with the first JSON line on its stdout that `ready` accepts; later lines are
 * read and dropped (the pipe must keep flowing) except the first pino error of each kind, which goes to stderr
 * marked with whose it is (a 515 after pairing is one), as does an exit nobody asked for. Rejects if the process
 * exits or stays silent for `timeoutMs`.
 */
export async function startJsonChild({ command = process.execPath, args, env = {} }: Launch, ready: (line: any) => boolean, what: string, timeoutMs = 60_000): Promise<{ child: ChildProcess; line: any }> {
  const child = own(spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  forwardStderr(child, what);
  keepLog(child, what);
  const line = new Promise<any>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const errorsShown = new Set<string>();
    lines.on('line', (text) => {
      if (!text.startsWith('{')) return;
      const entry = JSON.parse(text);
      if (ready(entry)) resolve(entry);
      if (entry.level >= PINO_ERROR && !errorsShown.has(entry.msg)) {
        errorsShown.add(entry.msg);
        process.stderr.write(`[${what}] ${entry.msg}${entry.err ? `: ${entry.err.message ?? entry.err}` : ''} (the first such error; others like it are not shown)\n`);
      }
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready`));
      if (!stopping.has(child) && code !== 0) process.stderr.write(`[${what}] exited (${code ?? signal})\n`);
    });
  });
  try {
    return { child, line: await withTimeout(line, timeoutMs, `${what} to start`) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** Forks a TypeScript module (through tsx) with an IPC channel. */
export function forkTs(modulePath: string, env: Record<string, string>): ChildProcess {
  return own(fork(modulePath, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stopping.add(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
