// Splits the client byte stream into 3-byte-length-prefixed frames, stripping the one-time intro header
// (optionally preceded by the 'ED' routing-info prefix). Bounded: an oversized frame is a protocol error.
import { NOISE_WA_HEADER } from 'baileys';

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private introSeen = false;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Appends bytes and returns every complete frame. Throws on a malformed stream. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.introSeen && !this.consumeIntro()) return [];
    const frames: Buffer[] = [];
    while (this.buffer.length >= 3) {
      const size = (this.buffer[0]! << 16) | (this.buffer[1]! << 8) | this.buffer[2]!;
      if (size > this.maxFrameBytes) throw new Error(`frame of ${size} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
      if (this.buffer.length < size + 3) break;
      frames.push(this.buffer.subarray(3, size + 3));
      this.buffer = this.buffer.subarray(size + 3);
    }
    if (this.buffer.length > this.maxFrameBytes + 3) throw new Error('unframed input exceeds the buffer limit');
    return frames;
  }

  private consumeIntro(): boolean {
    let offset = 0;
    if (this.buffer[0] === 0x45 && this.buffer[1] === 0x44) {
      if (this.buffer.length < 7) return false;
      const routingLength = (this.buffer[4]! << 16) | this.buffer.readUInt16BE(5);
      offset = 7 + routingLength;
    }
    if (this.buffer.length < offset + NOISE_WA_HEADER.length) return false;
    const header = this.buffer.subarray(offset, offset + NOISE_WA_HEADER.length);
    if (!header.equals(Buffer.from(NOISE_WA_HEADER))) throw new Error(`bad intro header ${header.toString('hex')}`);
    this.buffer = this.buffer.subarray(offset + NOISE_WA_HEADER.length);
    this.introSeen = true;
    return true;
  }
}
