// Where a group picture comes from: a data URI or an http(s) URL, never a path on the gateway's disk (WARest
// reads server files; we refuse them). Loaded by the media loader (SSRF guard, one deadline, size cap); the bytes
// must carry an image signature, and the engine's image library decodes them.
import { GatewayError, isGatewayError } from '../errors.js';
import { loadMedia, parseMediaSource, type MediaLoadOptions, type MediaSource, type MediaTooLargeDetails } from '../media/media-source.js';
import { formatSize } from '../media/media-size.js';

export const PICTURE_MAX_BYTES = 5 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export type PictureSource = Extract<MediaSource, { kind: 'data' | 'url' }>;

export interface PictureLoadOptions extends Pick<MediaLoadOptions, 'lookup' | 'connectOverride'> {
  /** allow URLs that resolve to private, loopback or link-local addresses (WAYGATE_WEBHOOK_ALLOW_PRIVATE) */
  allowPrivate: boolean;
  timeoutMs?: number;
}

const SIGNATURES: [format: string, matches: (bytes: Buffer) => boolean][] = [
  ['JPEG', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['PNG', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['WebP', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
  ['GIF', (b) => b.toString('latin1', 0, 4) === 'GIF8']
];

/** Checks the form of `picture` (no I/O): a base64 data URI of an image, or an http(s) URL. */
export function parsePictureSource(raw: string): PictureSource {
  if (!/^(data:|https?:\/\/)/i.test(raw)) {
    throw new GatewayError(
      'INVALID_PARAMETER',
      'picture must be a data URI (data:image/jpeg;base64,…) or an http(s) URL; file paths and other schemes are not accepted'
    );
  }
  const source = parseMediaSource(raw, 'picture') as PictureSource;
  if (source.kind === 'data' && !source.declaredMime.startsWith('image/')) {
    throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `picture must be an image data URI (data:image/jpeg;base64,…), not ${source.declaredMime}`);
  }
  if (source.kind === 'data' && Buffer.byteLength(source.base64, 'base64') > PICTURE_MAX_BYTES) throw tooLarge({ bytes: null, maxBytes: PICTURE_MAX_BYTES });
  return source;
}

/** The picture's bytes: decoded or downloaded, within the size limit, and recognisably an image. */
export async function loadPicture(source: PictureSource, options: PictureLoadOptions): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const loadOptions = { ...options, maxBytes: PICTURE_MAX_BYTES, timeoutMs: options.timeoutMs ?? FETCH_TIMEOUT_MS, localDirs: [], field: 'picture' };
    ({ bytes } = await loadMedia(source, loadOptions));
  } catch (err) {
    if (isGatewayError(err) && err.code === 'MEDIA_TOO_LARGE') throw tooLarge(err.details as MediaTooLargeDetails);
    throw err;
  }
  if (!SIGNATURES.some(([, matches]) => matches(bytes))) {
    throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `picture is not a ${SIGNATURES.map(([format]) => format).join(', ')} image`);
  }
  return bytes;
}

function tooLarge({ bytes }: MediaTooLargeDetails): GatewayError {
  const size = bytes === null ? 'larger than' : `${formatSize(bytes)}, over`;
  return new GatewayError('MEDIA_TOO_LARGE', `picture is ${size} the ${formatSize(PICTURE_MAX_BYTES)} limit; send a smaller image`);
}
