// What ffmpeg reads from an audio or video file: ffmpeg -i alone prints the input's duration and streams (the
// npm build ships no ffprobe), then stops for want of an output, so its exit code 1 is the normal answer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../errors.js';
import { runFfmpeg, unreadable } from './ffmpeg.js';
import { MAX_INPUT_PIXELS } from './image-tools.js';

export interface AvProbe {
  /** whole seconds, as WhatsApp carries them; 0 when unknown */
  seconds: number;
  video: { codec: string; width: number; height: number } | null;
  audio: { codec: string } | null;
}

export async function probe(file: string, what: string, timeoutMs?: number): Promise<AvProbe> {
  const { stderr } = await runFfmpeg(['-i', file], { what, timeoutMs, okExitCodes: [1] });
  return parseInput(stderr, what);
}

function parseInput(stderr: string, what: string): AvProbe {
  const input = stderr.split(/\nOutput #0/)[0]!;
  if (!input.includes('Input #0')) throw unreadable(what, stderr);
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(input);
  const exactSeconds = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 0;
  const video = /Stream #0:\d+.*?: Video: (\w+)[^\n]*?, (\d+)x(\d+)[\s,[]/.exec(input);
  const audio = /Stream #0:\d+.*?: Audio: (\w+)/.exec(input);
  return {
    seconds: exactSeconds > 0 ? Math.max(1, Math.round(exactSeconds)) : 0,
    video: video ? { codec: video[1]!, width: Number(video[2]), height: Number(video[3]) } : null,
    audio: audio ? { codec: audio[1]! } : null,
  };
}

/** Probes and insists on a video stream of bounded size. */
export async function probeVideo(file: string, what: string, timeoutMs?: number): Promise<AvProbe & { video: NonNullable<AvProbe['video']> }> {
  const found = await probe(file, what, timeoutMs);
  const { video } = found;
  if (!video) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `${what} has no video stream; send it as audio or as a document`);
  if (video.width * video.height > MAX_INPUT_PIXELS) {
    throw new GatewayError('MEDIA_TOO_LARGE', `${what} is ${video.width}×${video.height} pixels, over the ${MAX_INPUT_PIXELS / 1e6} MP limit; scale it down before sending`);
  }
  return { ...found, video };
}

/**
 * One full-size JPEG frame, a second in when the video is long enough (first frames are often black), and the
 * file's length as the same run read it.
 * @param roughSeconds the length known so far (0: unknown, take the first frame)
 */
export async function grabFrame(file: string, roughSeconds: number, what: string, timeoutMs?: number): Promise<{ frame: Buffer; seconds: number }> {
  const frameFile = join(file, '..', 'frame.jpg');
  const seek = roughSeconds >= 2 ? ['-ss', '1'] : [];
  const { stderr } = await runFfmpeg([...seek, '-i', file, '-frames:v', '1', '-q:v', '2', frameFile], { what, timeoutMs });
  const frame = await readFile(frameFile).catch((err: unknown) => {
    throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `${what} has no frame that could be decoded; send a valid, uncorrupted file`, { cause: err });
  });
  return { frame, seconds: parseInput(stderr, what).seconds };
}
