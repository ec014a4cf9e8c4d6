// ffmpeg for audio and video: the system binary when one is on PATH (distributions keep it patched), else the
// static build of @ffmpeg-installer/ffmpeg. Inputs and outputs are temp files (an mp4 may keep its index at the
// end, which a pipe cannot seek back to); runs are bounded in time and in how many go at once.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { GatewayError } from '../errors.js';

export const FFMPEG_TIMEOUT_MS = 60_000;
const STDERR_KEEP = 64 * 1024;

export type FfmpegSource = 'system' | 'npm';

let located: Promise<{ path: string; source: FfmpegSource }> | undefined;

/** The ffmpeg binary every conversion runs. */
export async function ffmpegPath(): Promise<string> {
  return (await locate()).path;
}

/** Where that binary comes from: the system's PATH or the npm package. */
export async function ffmpegSource(): Promise<FfmpegSource> {
  return (await locate()).source;
}

function locate() {
  return (located ??= findOnPath('ffmpeg').then(async (systemPath) => {
    if (systemPath) return { path: systemPath, source: 'system' as const };
    try {
      const installer = await import('@ffmpeg-installer/ffmpeg');
      return { path: installer.default.path, source: 'npm' as const };
    } catch (err) {
      located = undefined;
      throw new GatewayError('NOT_IMPLEMENTED', 'converting audio and video needs ffmpeg; install it on the gateway\'s PATH', { cause: err });
    }
  }));
}

async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return null;
}

export interface FfmpegRun {
  exitCode: number | null;
  stderr: string;
}

export interface FfmpegOptions {
  /** names the media in messages: "the video", "the audio" */
  what: string;
  timeoutMs?: number;
  /** exit codes that are not a failure: probing with `-i` alone ends with 1 */
  okExitCodes?: readonly number[];
}

/** Runs ffmpeg; a failure is the sender's file (415), a run past the deadline is killed (422). */
export async function runFfmpeg(args: readonly string[], options: FfmpegOptions): Promise<FfmpegRun> {
  const binary = await ffmpegPath();
  const timeoutMs = options.timeoutMs ?? FFMPEG_TIMEOUT_MS;
  const run = await withSlot(() => spawnUntil(binary, ['-hide_banner', '-nostdin', '-y', ...args], timeoutMs));
  if (run.timedOut) {
    throw new GatewayError('UNPROCESSABLE_ENTITY', `converting ${options.what} took longer than ${timeoutMs / 1000} s and was stopped; send a shorter or smaller file`);
  }
  if (run.exitCode !== 0 && !(options.okExitCodes ?? []).includes(run.exitCode ?? -1)) {
    throw unreadable(options.what, run.stderr);
  }
  return run;
}

/** 415 quoting ffmpeg's last complaint, with the temp paths taken out. */
export function unreadable(what: string, stderr: string): GatewayError {
  const reason = stderr
    .split('\n')
    .map((line) => line.replace(/\S*waygate-media-\S*?:\s+/g, '').replace(/\S*waygate-media-\S*/g, 'the file').trim())
    .filter(Boolean)
    .at(-1);
  return new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `could not read ${what}${reason ? ` (${reason.slice(0, 200)})` : ''}; send a valid, uncorrupted file`);
}

function spawnUntil(binary: string, args: string[], timeoutMs: number): Promise<FfmpegRun & { timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stderr, timedOut });
    });
  });
}

// ffmpeg uses every core it finds; more runs than cores only make each one slower.
const maxRunning = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= maxRunning) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** A private temp directory for one conversion, removed afterwards whatever happened. */
export async function withTempDir<T>(task: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'waygate-media-'));
  try {
    return await task(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
