// "Base64 Helper": encode bytes (a text as UTF-8, or a loaded file) to base64, base64url or a data URL, and
// decode base64 (either alphabet, padding optional) or a data URI back: to text when the bytes are UTF-8, else
// to a data URL typed by sniffing. Malformed base64 is a 400, never silently skipped characters.
import { GatewayError } from '../errors.js';
import { decodeBase64, deliver, isUtf8, type DeliveredBytes, type OutputMode } from './binary-output.js';

export type Base64Action = 'encode' | 'decode';

export function base64Action(raw: string | undefined): Base64Action {
  const value = (raw ?? 'encode').trim().toLowerCase();
  if (value !== 'encode' && value !== 'decode') throw new GatewayError('INVALID_PARAMETER', `action must be encode or decode, not "${raw?.slice(0, 20)}"`);
  return value;
}

export interface EncodedBase64 {
  data: string;
  meta: { mode: 'base64' | 'base64url' | 'dataurl'; mimeType: string; size: number };
}

/** `output`: base64 (default), base64url (no padding) or dataurl. */
export function encodeBase64(bytes: Buffer, output: string | undefined, mimeType: string): EncodedBase64 {
  const mode = (output ?? 'base64').trim().toLowerCase().replace(/[\s_-]/g, '');
  const meta = { mimeType, size: bytes.length };
  if (mode === 'base64' || mode === 'string') return { data: bytes.toString('base64'), meta: { ...meta, mode: 'base64' } };
  if (mode === 'base64url') return { data: bytes.toString('base64url'), meta: { ...meta, mode: 'base64url' } };
  if (mode === 'dataurl' || mode === 'datauri' || mode === 'url' || mode === 'file') return { data: `data:${mimeType};base64,${bytes.toString('base64')}`, meta: { ...meta, mode: 'dataurl' } };
  throw new GatewayError('INVALID_PARAMETER', `output "${output?.slice(0, 20)}" is not known for encode; use base64, base64url or dataurl`);
}

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/** The bytes of base64 text or of a base64 data URI (with its declared type). */
export function decodeBase64Input(input: string): { bytes: Buffer; declaredMime: string | null } {
  const dataUri = DATA_URI.exec(input.trim());
  const text = dataUri ? dataUri[3]! : input;
  if (dataUri && !dataUri[2]!.split(';').includes('base64')) throw new GatewayError('INVALID_PARAMETER', 'input is a data URI that is not base64; nothing to decode');
  const bytes = decodeBase64(text);
  if (!bytes) {
    const bad = text.replace(/\s+/g, '').match(/[^A-Za-z0-9+/=_-]/)?.[0];
    throw new GatewayError('INVALID_PARAMETER', `input is not valid base64${bad ? ` (it contains "${bad}")` : ' (wrong length or padding)'}; send standard or URL-safe base64, or a data:…;base64,… URI`);
  }
  return { bytes, declaredMime: dataUri?.[1] || null };
}

/** Decoded bytes as asked; without `output`: text when they are UTF-8, else a data URL of their sniffed type. */
export function deliverDecoded(bytes: Buffer, output: OutputMode | undefined, mimeType: string): DeliveredBytes {
  const mode = output ?? (isUtf8(bytes) ? 'string' : 'dataurl');
  return deliver(bytes, mode, mode === 'string' && mimeType === 'application/octet-stream' ? 'text/plain' : mimeType, 'the decoded input');
}
