// How the misc helpers read bytes a caller typed (strict base64 and hex, byte arrays as JSON carries them) and
// hand bytes back (`output`: base64, a data URL, or UTF-8 text). WARest can also store a result and answer
// its link (`url`, `file`); Waygate keeps no misc artifacts, so those answer a data URL, which n8n turns into
// binary data just as well.
import { GatewayError } from '../errors.js';

export type OutputMode = 'base64' | 'dataurl' | 'string';

export interface DeliveredBytes {
  /** the bytes as asked: base64, a data URL or text */
  data: string;
  meta: { mode: OutputMode; mimeType: string; size: number };
}

const OUTPUT_ALIASES: Record<string, OutputMode> = {
  base64: 'base64', b64: 'base64',
  dataurl: 'dataurl', datauri: 'dataurl', url: 'dataurl', file: 'dataurl', uri: 'dataurl',
  string: 'string', text: 'string', utf8: 'string', 'utf-8': 'string', raw: 'string',
};

/** The output mode a caller named (undefined when none was given); an unknown one is a 400 listing them. */
export function outputMode(raw: string | undefined, field = 'output'): OutputMode | undefined {
  if (raw === undefined) return undefined;
  const mode = OUTPUT_ALIASES[raw.trim().toLowerCase().replace(/[\s_-]/g, '')];
  if (!mode) throw new GatewayError('INVALID_PARAMETER', `${field} "${raw.slice(0, 40)}" is not known; use base64, dataurl or string (url and file answer a data URL)`);
  return mode;
}

/** Whether the bytes are valid UTF-8 text (no replacement needed). */
export function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Bytes in the asked mode; `string` on bytes that are not text is a 400 (it would lose bytes). */
export function deliver(bytes: Buffer, mode: OutputMode, mimeType: string, what = 'the result'): DeliveredBytes {
  const meta = { mode, mimeType, size: bytes.length };
  switch (mode) {
    case 'base64':
      return { data: bytes.toString('base64'), meta };
    case 'dataurl':
      return { data: `data:${mimeType};base64,${bytes.toString('base64')}`, meta };
    case 'string':
      if (!isUtf8(bytes)) throw new GatewayError('INVALID_PARAMETER', `${what} is binary (${mimeType}), not UTF-8 text; ask for output base64 or dataurl`);
      return { data: bytes.toString('utf8'), meta };
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Strict base64 (standard or URL-safe alphabet, padding optional, whitespace ignored); undefined when the text
 * is not base64. Node's own decoder skips characters it does not know, which would turn garbage into bytes.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) && !BASE64URL.test(compact)) return undefined;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  if (compact.length !== unpadded.length && compact.length % 4 !== 0) return undefined;
  return Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Even-length hex; undefined otherwise. */
export function decodeHex(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return /^(?:[0-9a-fA-F]{2})*$/.test(compact) ? Buffer.from(compact, 'hex') : undefined;
}

/**
 * Bytes as a JSON request or a webhook payload may carry them: base64 (or hex, when `hex` is allowed and the text is
 * only hex digits of the expected length), a Node Buffer's JSON `{type:"Buffer", data:[…]}`, an array of byte
 * values, or a Uint8Array serialised as `{"0":…, "1":…}`. Undefined when it is none of these.
 */
export function bytesFrom(value: unknown, options: { hexLength?: number } = {}): Buffer | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    if (options.hexLength !== undefined && text.length === options.hexLength * 2) {
      const hex = decodeHex(text);
      if (hex) return hex;
    }
    return decodeBase64(text);
  }
  if (Array.isArray(value)) return byteArray(value);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.type === 'Buffer' && Array.isArray(record.data)) return byteArray(record.data);
    const keys = Object.keys(record);
    if (keys.length > 0 && keys.every((key, i) => key === String(i))) return byteArray(keys.map((key) => record[key]));
  }
  return undefined;
}

function byteArray(values: unknown[]): Buffer | undefined {
  return values.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255) ? Buffer.from(values as number[]) : undefined;
}
