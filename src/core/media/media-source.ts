// Where a media file comes from (a base64 data URI, an http(s) URL, or a file on the gateway's disk inside an
// allowed directory) and its bytes: size-capped, fetched through safeFetch (the SSRF guard on every redirect hop,
// one deadline), typed by sniffing the bytes rather than trusting what the sender declared.
import { open, realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutboundRequestError } from '../../lib/outbound-target.js';
import { safeFetch, type SafeFetchOptions, type SafeResponse } from '../../lib/safe-fetch.js';
import { GatewayError } from '../errors.js';
import { formatSize } from './media-size.js';

export type MediaSource =
  | { kind: 'data'; base64: string; declaredMime: string }
  | { kind: 'url'; url: URL }
  | { kind: 'file'; path: string };

export type MediaLoadOptions = {
  maxBytes: number;
  timeoutMs: number;
  /** allow URLs that resolve to private, loopback or link-local addresses (WAYGATE_WEBHOOK_ALLOW_PRIVATE) */
  allowPrivate: boolean;
  /** directories whose files may be named by path (WAYGATE_MEDIA_LOCAL_DIRS); empty: paths are refused */
  localDirs: readonly string[];
  /** the request field, named in messages */
  field: string;
} & Pick<SafeFetchOptions, 'lookup' | 'connectOverride'>;

export interface LoadedMedia {
  bytes: Buffer;
  /** sniffed from the bytes; the declared type only when the bytes cannot tell (text, csv…) */
  mimetype: string;
  /** the sniffed type's extension, else the file name's; without a dot */
  extension: string | null;
  fileName: string | null;
}

/** What a too-large error carries, so a caller can word its own message (`bytes` is null when the download stopped early). */
export interface MediaTooLargeDetails {
  bytes: number | null;
  maxBytes: number;
}

const MAX_REDIRECTS = 3;
const OCTET_STREAM = 'application/octet-stream';
const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks the form of a media reference (no I/O). */
export function parseMediaSource(raw: string, field: string): MediaSource {
  const dataUri = DATA_URI.exec(raw);
  if (dataUri) {
    const [, mime = '', params = '', payload = ''] = dataUri;
    const example = `data:${mime || 'image/jpeg'};base64,…`;
    if (!params.split(';').includes('base64')) throw new GatewayError('INVALID_PARAMETER', `${field} data URI is not base64; encode the file as ${example}`);
    const base64 = payload.replace(/\s+/g, '');
    if (!BASE64.test(base64)) throw new GatewayError('INVALID_PARAMETER', `${field} data URI is not base64: it holds other characters; encode the file as ${example}`);
    return { kind: 'data', base64, declaredMime: mimeEssence(mime) ?? OCTET_STREAM };
  }
  if (/^https?:\/\//i.test(raw)) {
    try {
      return { kind: 'url', url: new URL(raw) };
    } catch {
      throw new GatewayError('INVALID_PARAMETER', `${field} URL "${raw.slice(0, 120)}" is not a valid URL`);
    }
  }
  if (/^file:/i.test(raw)) {
    try {
      return { kind: 'file', path: fileURLToPath(raw) };
    } catch {
      throw new GatewayError('INVALID_PARAMETER', `${field} file URL is not a local absolute path; write it as file:///dir/name.ext`);
    }
  }
  if (isAbsolute(raw)) return { kind: 'file', path: raw };
  throw new GatewayError(
    'INVALID_PARAMETER',
    `${field} must be a base64 data URI (data:image/jpeg;base64,…), an http(s) URL, or an absolute path on the gateway (/dir/name.ext or file:///dir/name.ext); relative paths and other schemes are not accepted`
  );
}

/** The media's bytes (decoded, downloaded or read), within the size limit, with their sniffed type. */
export async function loadMedia(source: MediaSource, options: MediaLoadOptions): Promise<LoadedMedia> {
  switch (source.kind) {
    case 'data': {
      const decodedBytes = Buffer.byteLength(source.base64, 'base64'); // counted without decoding
      if (decodedBytes > options.maxBytes) throw tooLarge(options, decodedBytes);
      return withSniffedType(Buffer.from(source.base64, 'base64'), source.declaredMime, null, options);
    }
    case 'url': {
      const response = await download(source.url, options);
      return withSniffedType(response.body!, mimeEssence(response.headers['content-type']) ?? OCTET_STREAM, responseFileName(response), options);
    }
    case 'file':
      return withSniffedType(await readAllowedFile(source.path, options), OCTET_STREAM, cleanFileName(basename(source.path)), options);
  }
}

async function withSniffedType(bytes: Buffer, declaredMime: string, fileName: string | null, options: MediaLoadOptions): Promise<LoadedMedia> {
  if (bytes.length > options.maxBytes) throw tooLarge(options, bytes.length);
  const { fileTypeFromBuffer, supportedMimeTypes } = await fileTypeModule();
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) return { bytes, mimetype: sniffed.mime, extension: sniffed.ext, fileName };
  // A type file-type recognises but did not find in the bytes was declared wrongly.
  const mimetype = (supportedMimeTypes as ReadonlySet<string>).has(declaredMime) ? OCTET_STREAM : declaredMime;
  const extension = fileName ? (/\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1]?.toLowerCase() ?? null) : null;
  return { bytes, mimetype, extension, fileName };
}

let fileType: Promise<typeof import('file-type')> | undefined;
const fileTypeModule = () => (fileType ??= import('file-type'));

function tooLarge({ field, maxBytes }: Pick<MediaLoadOptions, 'field' | 'maxBytes'>, bytes?: number): GatewayError {
  const size = bytes === undefined ? 'larger than' : `${formatSize(bytes)}, over`;
  const details: MediaTooLargeDetails = { bytes: bytes ?? null, maxBytes };
  return new GatewayError('MEDIA_TOO_LARGE', `${field} is ${size} the ${formatSize(maxBytes)} limit; send a smaller file`, { details });
}

async function download(url: URL, options: MediaLoadOptions): Promise<SafeResponse> {
  const { field, timeoutMs } = options;
  let response: SafeResponse;
  try {
    response = await safeFetch(url, {
      allowPrivate: options.allowPrivate,
      lookup: options.lookup,
      connectOverride: options.connectOverride,
      label: `${field} URL`,
      maxRedirects: MAX_REDIRECTS,
      timeoutMs,
      maxBodyBytes: options.maxBytes,
    });
  } catch (err) {
    if (err instanceof OutboundRequestError) throw downloadFailed(url, err, options);
    throw err;
  }
  if (response.status < 200 || response.status >= 300) {
    if (response.status >= 500) throw new GatewayError('MEDIA_DOWNLOAD_FAILED', `${field} URL answered ${response.status}; retry later or use another URL`);
    throw new GatewayError('INVALID_PARAMETER', `${field} URL answered ${response.status}; check that it points to the file`);
  }
  return response;
}

function downloadFailed(url: URL, err: OutboundRequestError, options: MediaLoadOptions): GatewayError {
  const { field, timeoutMs } = options;
  switch (err.reason) {
    case 'too_large':
      return tooLarge(options);
    case 'timeout':
      return new GatewayError('DOWNSTREAM_TIMEOUT', `${field} URL ${url.host} did not deliver the file within ${timeoutMs / 1000} s; use a faster host or send the file inline`, { cause: err });
    case 'network':
      return new GatewayError('MEDIA_DOWNLOAD_FAILED', err.message, { cause: err });
    case 'too_many_redirects':
      return new GatewayError('INVALID_PARAMETER', `${field} URL redirects more than ${MAX_REDIRECTS} times; give the file's final URL`, { cause: err });
    default:
      return new GatewayError('INVALID_PARAMETER', err.message, { cause: err });
  }
}

function responseFileName(response: SafeResponse): string | null {
  const disposition = response.headers['content-disposition'];
  const fromHeader = disposition ? dispositionFileName(disposition) : null;
  if (fromHeader) return fromHeader;
  const lastSegment = response.url.pathname.split('/').at(-1) ?? '';
  return cleanFileName(safeDecode(lastSegment));
}

function dispositionFileName(header: string): string | null {
  const extended = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(header)?.[1];
  if (extended) return cleanFileName(safeDecode(extended.trim()));
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name ? cleanFileName(name) : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A name fit to show a recipient: no directories, no control characters. */
function cleanFileName(name: string): string | null {
  const cleaned = (name.split(/[/\\]/).at(-1) ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? null : cleaned;
}

function mimeEssence(value: string | undefined): string | null {
  const essence = value?.split(';')[0]?.trim().toLowerCase();
  return essence && /^[\w.+-]+\/[\w.+-]+$/.test(essence) ? essence : null;
}

async function readAllowedFile(path: string, options: MediaLoadOptions): Promise<Buffer> {
  const { field, localDirs } = options;
  if (localDirs.length === 0) {
    throw new GatewayError('INVALID_PARAMETER', `${field}: server file paths are refused; allow a directory with WAYGATE_MEDIA_LOCAL_DIRS, or send a data URI or an http(s) URL`);
  }
  const outside = () => new GatewayError('INVALID_PARAMETER', `${field} path is outside the directories allowed by WAYGATE_MEDIA_LOCAL_DIRS; put the file in one of them`);
  const allowedDirs = (await Promise.all(localDirs.map((dir) => realpath(dir).catch(() => null)))).filter((dir) => dir !== null);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    // Existence is only revealed inside the allowed directories.
    if (allowedDirs.some((dir) => isInside(resolve(path), dir))) throw new GatewayError('INVALID_PARAMETER', `${field} file does not exist; check the path`);
    throw outside();
  }
  if (!allowedDirs.some((dir) => isInside(real, dir))) throw outside();
  const file = await open(real, 'r');
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new GatewayError('INVALID_PARAMETER', `${field} path is not a regular file; name a file`);
    if (stats.size > options.maxBytes) throw tooLarge(options, stats.size);
    return await file.readFile();
  } finally {
    await file.close();
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
