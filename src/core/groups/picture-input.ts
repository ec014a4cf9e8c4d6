// Where a group picture comes from: a data URI or an http(s) URL, never a path on the gateway's disk (WARest
// reads server files; we refuse them). URLs are fetched by safeFetch (the SSRF guard on every redirect hop, one
// deadline); both kinds are capped in size and must be an image sharp can read.
import { OutboundRequestError } from '../../lib/outbound-target.js';
import { safeFetch, type SafeFetchOptions } from '../../lib/safe-fetch.js';
import { GatewayError } from '../errors.js';

export const PICTURE_MAX_BYTES = 5 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

export type PictureSource = { kind: 'data'; base64: string } | { kind: 'url'; url: URL };

export interface PictureLoadOptions extends Pick<SafeFetchOptions, 'lookup' | 'connectOverride'> {
  /** allow URLs that resolve to private, loopback or link-local addresses (WAYGATE_WEBHOOK_ALLOW_PRIVATE) */
  allowPrivate: boolean;
  timeoutMs?: number;
}

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const SIGNATURES: [format: string, matches: (bytes: Buffer) => boolean][] = [
  ['JPEG', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['PNG', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['WebP', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
  ['GIF', (b) => b.toString('latin1', 0, 4) === 'GIF8']
];

const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

function tooLarge(bytes?: number): GatewayError {
  const size = bytes === undefined ? 'larger than' : `${megabytes(bytes)}, over`;
  return new GatewayError('MEDIA_TOO_LARGE', `picture is ${size} the ${megabytes(PICTURE_MAX_BYTES)} limit; send a smaller image`);
}

/** Checks the form of `picture` (no I/O): a base64 data URI of an image, or an http(s) URL. */
export function parsePictureSource(raw: string): PictureSource {
  const dataUri = DATA_URI.exec(raw);
  if (dataUri) {
    const [, mime = '', params = '', payload = ''] = dataUri;
    if (!mime.toLowerCase().startsWith('image/')) {
      throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `picture must be an image data URI (data:image/jpeg;base64,…), not ${mime || 'untyped data'}`);
    }
    if (!params.split(';').includes('base64')) throw new GatewayError('INVALID_PARAMETER', 'picture data URI must be base64-encoded (data:image/jpeg;base64,…)');
    const base64 = payload.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new GatewayError('INVALID_PARAMETER', 'picture data URI holds characters that are not base64');
    if (Math.floor((base64.length * 3) / 4) > PICTURE_MAX_BYTES + 2) throw tooLarge();
    return { kind: 'data', base64 };
  }
  if (/^https?:\/\//i.test(raw)) {
    try {
      return { kind: 'url', url: new URL(raw) };
    } catch {
      throw new GatewayError('INVALID_PARAMETER', `picture URL "${raw.slice(0, 120)}" is not a valid URL`);
    }
  }
  throw new GatewayError(
    'INVALID_PARAMETER',
    'picture must be a data URI (data:image/jpeg;base64,…) or an http(s) URL; file paths and other schemes are not accepted'
  );
}

/** The picture's bytes: decoded or downloaded, within the size limit, and recognisably an image. */
export async function loadPicture(source: PictureSource, options: PictureLoadOptions): Promise<Buffer> {
  const bytes = source.kind === 'data' ? Buffer.from(source.base64, 'base64') : await download(source.url, options);
  if (bytes.length > PICTURE_MAX_BYTES) throw tooLarge(bytes.length);
  if (!SIGNATURES.some(([, matches]) => matches(bytes))) {
    throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `picture is not a ${SIGNATURES.map(([format]) => format).join(', ')} image`);
  }
  return bytes;
}

async function download(url: URL, options: PictureLoadOptions): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  let response;
  try {
    response = await safeFetch(url, { ...options, label: 'picture URL', maxRedirects: MAX_REDIRECTS, timeoutMs, maxBodyBytes: PICTURE_MAX_BYTES });
  } catch (err) {
    if (err instanceof OutboundRequestError) throw downloadFailed(url, err, timeoutMs);
    throw err;
  }
  if (response.status < 200 || response.status >= 300) {
    if (response.status >= 500) throw new GatewayError('MEDIA_DOWNLOAD_FAILED', `picture URL answered ${response.status}; retry later or use another URL`);
    throw new GatewayError('INVALID_PARAMETER', `picture URL answered ${response.status}; check that it points to an image`);
  }
  return response.body!;
}

function downloadFailed(url: URL, err: OutboundRequestError, timeoutMs: number): GatewayError {
  switch (err.reason) {
    case 'too_large':
      return tooLarge();
    case 'timeout':
      return new GatewayError('DOWNSTREAM_TIMEOUT', `picture URL ${url.host} did not deliver the image within ${timeoutMs / 1000} s`, { cause: err });
    case 'network':
      return new GatewayError('MEDIA_DOWNLOAD_FAILED', err.message, { cause: err });
    case 'too_many_redirects':
      return new GatewayError('INVALID_PARAMETER', `picture URL redirects more than ${MAX_REDIRECTS} times; give the image's final URL`, { cause: err });
    default:
      return new GatewayError('INVALID_PARAMETER', err.message, { cause: err });
  }
}
