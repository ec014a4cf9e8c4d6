// A message's `raw` form, as the port hands it out and takes it back: WhatsApp's protobuf JSON (WebMessageInfo)
// with bytes as base64 and 64-bit numbers as numbers, and the way back to a Baileys WAMessage.
import { proto, toNumber, type WAMessage } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';

type Long = Parameters<typeof toNumber>[0];

function isLong(value: object): value is Exclude<Long, number | null | undefined> {
  const o = value as { low?: unknown; high?: unknown; unsigned?: unknown };
  return typeof o.low === 'number' && typeof o.high === 'number' && typeof o.unsigned === 'boolean';
}

/**
 * JSON with bytes as base64, 64-bit numbers as numbers and enums as numbers; empty repeated fields are left out,
 * as protobuf does. Walks the fields itself: JSON.stringify would call protobuf's own toJSON, which writes 64-bit
 * numbers and enums as strings.
 */
export function toRawJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toRawJson);
  if (value && typeof value === 'object') {
    if (isLong(value)) return toNumber(value);
    const json: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const absent = field === undefined || typeof field === 'function' || (Array.isArray(field) && field.length === 0);
      if (!absent) json[key] = toRawJson(field);
    }
    return json;
  }
  return value;
}

/** A stored `raw` message back as a WAMessage (unknown fields, such as Baileys' `key.remoteJidAlt`, are dropped). */
export function messageFromRaw(raw: unknown, argument = 'raw'): WAMessage {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new EngineInvalidArgumentError(argument, 'must be a stored message (WhatsApp protobuf JSON)');
  try {
    const message = proto.WebMessageInfo.fromObject(raw as Record<string, unknown>);
    if (!message.key) throw new Error('no key');
    return message as WAMessage;
  } catch (error) {
    throw new EngineInvalidArgumentError(argument, `is not a WhatsApp message: ${error instanceof Error ? error.message : String(error)}`);
  }
}
