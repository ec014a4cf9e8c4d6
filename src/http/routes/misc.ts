// The Miscellaneous category (WARest actions 78-90): QR codes, base64, hashes and HMACs, thumbnails and image
// processing, UUID/ULID, WhatsApp media and poll-vote decryption, phone and JID checks, PN ↔ LID. Fields as the
// n8n node sends them: its option groups arrive flattened into the body (api-compat §1.4), so every option is
// read from the body (then the query). Routes that take a file accept the media body limit.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { base64Action, decodeBase64Input, deliverDecoded, encodeBase64 } from '../../core/misc/base64.js';
import { decodeHex, outputMode } from '../../core/misc/binary-output.js';
import { hash, hmac } from '../../core/misc/hashing.js';
import { generateIds, validateId } from '../../core/misc/ids.js';
import type { ImageActions } from '../../core/misc/media-tools.js';
import type { Misc } from '../../core/misc/misc.js';
import { makeQr } from '../../core/misc/qr.js';
import { GatewayError } from '../../core/errors.js';
import { sessionCommand } from '../commands.js';
import { field } from '../credentials.js';
import { readString, type RequestParts } from '../params.js';
import { actionRoute } from '../route-table.js';
import type { RouteModule } from '../types.js';
import {
  base64View, fileDecryptView, hashView, hmacView, imageView, jidView, phoneView, pollVoteView, qrView, resolveView, thumbnailView,
  uuidGenerateView, uuidValidateView
} from '../views/warest/misc.js';
import { answer } from '../views/warest/outcome.js';

export interface MiscRoutesContext {
  misc: Misc;
  /** largest body the routes taking a file accept (inline data URIs) */
  mediaBodyLimitBytes: number;
}

const TEXT = { type: 'string' } as const;
const NUMBER = { type: ['number', 'string'] } as const;
const FILE = { type: 'string', description: 'an http(s) URL or a data URI (data:<mime>;base64,…); a path inside WAYGATE_MEDIA_LOCAL_DIRS' } as const;
const OUTPUT = { type: 'string', description: 'base64 (default), dataurl, or string (text results); url and file answer a data URL' } as const;
const SESSION = {
  sessionId: { type: 'string', description: 'the session (aliases session, sid); or the session’s own number as sessionPhone' },
  session: TEXT,
  sid: TEXT,
  sessionPhone: TEXT
} as const;

const body = (properties: Record<string, unknown>) => ({ body: { type: 'object', properties } });

function read(parts: RequestParts, key: string): unknown {
  return field(parts.body, key) ?? field(parts.query, key);
}

function required(parts: RequestParts, keys: readonly string[], hint: string): string {
  const value = readString(parts, keys);
  if (value === undefined) throw new GatewayError('MISSING_PARAMETER', `${keys[0]} is required: ${hint}`);
  return value;
}

/** A text field as given (not trimmed: hashes and QR codes see every character); '' counts as absent. */
function rawText(parts: RequestParts, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = read(parts, key);
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return undefined;
}

/** A number given as JSON or text; 0 and '' count as absent where callers say so (the n8n node's defaults). */
function readNumber(parts: RequestParts, key: string, source: unknown = read(parts, key)): number | undefined {
  if (source === undefined || source === null || source === '') return undefined;
  const value = typeof source === 'string' ? Number(source.trim()) : source;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new GatewayError('INVALID_PARAMETER', `${key} must be a number`);
  return value;
}

/** A structured field sent as JSON or as a JSON string. */
function structured(parts: RequestParts, key: string): unknown {
  const raw = read(parts, key);
  if (typeof raw !== 'string') return raw;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new GatewayError('INVALID_PARAMETER', `${key} is not valid JSON`);
  }
}

/** The bytes of `input` (text as UTF-8, or base64/hex with inputEncoding; a data URI's bytes) or of a loaded `file`. */
async function inputBytes(request: FastifyRequest, misc: Misc): Promise<{ bytes: Buffer; mimeType: string }> {
  const file = readString(request, ['file', 'source', 'url']);
  const input = rawText(request, ['input', 'data']);
  if (input === undefined && file === undefined) throw new GatewayError('MISSING_PARAMETER', 'input is required: the text to work on (or file: a URL or data URI)');
  if (input === undefined || /^data:[^,]*;base64,/i.test(input.trim())) {
    const loaded = await misc.loadFile((input ?? file)!.trim(), input === undefined ? 'file' : 'input');
    return { bytes: loaded.bytes, mimeType: loaded.mimetype };
  }
  const encoding = (readString(request, ['inputEncoding']) ?? 'utf8').toLowerCase();
  if (encoding === 'utf8' || encoding === 'utf-8' || encoding === 'text') return { bytes: Buffer.from(input, 'utf8'), mimeType: 'text/plain' };
  if (encoding === 'base64') return { bytes: decodeBase64Input(input).bytes, mimeType: 'application/octet-stream' };
  if (encoding === 'hex') {
    const bytes = decodeHex(input);
    if (!bytes) throw new GatewayError('INVALID_PARAMETER', 'input is not valid hex (inputEncoding hex): an even number of 0-9 a-f digits');
    return { bytes, mimeType: 'application/octet-stream' };
  }
  throw new GatewayError('INVALID_PARAMETER', `inputEncoding must be utf8, base64 or hex, not "${encoding.slice(0, 20)}"`);
}

function keyBytes(request: FastifyRequest): Buffer {
  const key = rawText(request, ['key', 'secret']);
  if (key === undefined) throw new GatewayError('MISSING_PARAMETER', 'key is required: the HMAC secret');
  const encoding = (readString(request, ['keyEncoding']) ?? 'utf8').toLowerCase();
  if (encoding === 'utf8' || encoding === 'utf-8' || encoding === 'text') return Buffer.from(key, 'utf8');
  if (encoding === 'base64') return decodeBase64Input(key).bytes;
  const hex = encoding === 'hex' ? decodeHex(key) : undefined;
  if (hex) return hex;
  throw new GatewayError('INVALID_PARAMETER', encoding === 'hex' ? 'key is not valid hex (keyEncoding hex)' : `keyEncoding must be utf8, base64 or hex, not "${encoding.slice(0, 20)}"`);
}

function imageActions(request: FastifyRequest): ImageActions {
  const raw = structured(request, 'actions');
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new GatewayError('INVALID_PARAMETER', 'actions must be an object {resize: {width, height, fit}, convert, compress: {quality}}');
  const actions = raw as Record<string, unknown>;
  const resize = actions.resize && typeof actions.resize === 'object' ? (actions.resize as Record<string, unknown>) : undefined;
  const compress = actions.compress && typeof actions.compress === 'object' ? (actions.compress as Record<string, unknown>) : undefined;
  const fit = resize?.fit;
  return {
    ...(resize ? { resize: { width: readNumber(request, 'actions.resize.width', resize.width), height: readNumber(request, 'actions.resize.height', resize.height), ...(typeof fit === 'string' && fit !== '' ? { fit } : {}) } } : {}),
    ...(typeof actions.convert === 'string' && actions.convert !== '' ? { convert: actions.convert } : {}),
    ...(compress ? { compress: { quality: readNumber(request, 'actions.compress.quality', compress.quality) } } : {})
  };
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value;
  throw new GatewayError('INVALID_PARAMETER', `${key} must be an array of option names`);
}

export function miscRoutes({ misc, mediaBodyLimitBytes }: MiscRoutesContext): RouteModule {
  const routes: FastifyPluginAsync = async (app: FastifyInstance) => {
    app.route(
      actionRoute('convertStringToQr', {
        schema: {
          params: { type: 'object', required: ['target'], properties: { target: { type: 'string', description: 'png, jpg, jpeg, webp, svg, base64 (a PNG data URL), dataurl, terminal or text' } } },
          ...body({ string: { type: 'string', description: 'the text to encode' }, encoding: { type: 'string', description: 'how string is read: utf8 (default), ascii, latin1, base64, hex' }, output: OUTPUT, width: NUMBER, errorCorrectionLevel: { type: 'string', description: 'L, M (default), Q or H' } })
        },
        handler: async (request, reply) => {
          const { target } = request.params as { target: string };
          const string = rawText(request, ['string', 'text']);
          if (string === undefined) throw new GatewayError('MISSING_PARAMETER', 'string is required: the text to put in the QR code');
          const qr = await makeQr({
            target, string,
            encoding: readString(request, ['encoding']),
            output: outputMode(readString(request, ['output'])),
            width: readNumber(request, 'width'),
            errorCorrectionLevel: readString(request, ['errorCorrectionLevel', 'ecl'])
          });
          return answer(reply, qrView(qr));
        }
      })
    );

    app.route(
      actionRoute('base64', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body({ action: { type: 'string', description: 'encode (default) or decode' }, input: { type: 'string', description: 'encode: text (UTF-8) or a data URI; decode: base64, base64url or a data URI' }, file: FILE, output: { type: 'string', description: 'encode: base64, base64url, dataurl; decode: string, base64, dataurl (default: text when UTF-8, else a data URL)' } }),
        handler: async (request, reply) => {
          const action = base64Action(readString(request, ['action']));
          if (action === 'encode') {
            const { bytes, mimeType } = await inputBytes(request, misc);
            return answer(reply, base64View(action, encodeBase64(bytes, readString(request, ['output']), mimeType)));
          }
          const input = rawText(request, ['input', 'data']);
          if (input === undefined) throw new GatewayError('MISSING_PARAMETER', 'input is required: the base64 text to decode');
          const { bytes, declaredMime } = decodeBase64Input(input);
          const mimeType = declaredMime ?? (await misc.sniff(bytes));
          return answer(reply, base64View(action, deliverDecoded(bytes, outputMode(readString(request, ['output'])), mimeType)));
        }
      })
    );

    const digestFields = { input: { type: 'string', description: 'the text (UTF-8; or base64/hex with inputEncoding, or a data URI)' }, inputEncoding: TEXT, file: FILE, algo: { type: 'string', description: 'md5, sha1, sha224, sha256 (default), sha384, sha512, sha512-256, sha3-256, sha3-512, blake2b512, ripemd160, …' }, algorithm: TEXT, output: { type: 'string', description: 'hex (default), base64, base64url, binary' } };
    app.route(
      actionRoute('cryptoHash', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body(digestFields),
        handler: async (request, reply) => {
          const { bytes } = await inputBytes(request, misc);
          return answer(reply, hashView(hash(bytes, readString(request, ['algo', 'algorithm']), readString(request, ['output']))));
        }
      })
    );
    app.route(
      actionRoute('cryptoHmac', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body({ ...digestFields, key: { type: 'string', description: 'the secret (UTF-8; or base64/hex with keyEncoding); alias secret' }, secret: TEXT, keyEncoding: TEXT }),
        handler: async (request, reply) => {
          const key = keyBytes(request);
          const { bytes } = await inputBytes(request, misc);
          return answer(reply, hmacView(hmac(key, bytes, readString(request, ['algo', 'algorithm']), readString(request, ['output']))));
        }
      })
    );

    app.route(
      actionRoute('thumbnail', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body({ file: FILE, type: { type: 'string', description: 'image or video' }, width: NUMBER, height: NUMBER, fit: { type: 'string', description: 'cover (default), contain, fill, inside, outside' }, count: { ...NUMBER, description: 'video frames, 1 to 6 (0: one)' }, output: OUTPUT }),
        handler: async (request, reply) => {
          const file = required(request, ['file', 'source', 'url'], 'the image or video: an http(s) URL or a data URI');
          const type = required(request, ['type'], 'image or video');
          const data = await misc.thumbnails(file, {
            type,
            width: readNumber(request, 'width'),
            height: readNumber(request, 'height'),
            fit: readString(request, ['fit']),
            count: readNumber(request, 'count'),
            output: outputMode(readString(request, ['output']))
          });
          return answer(reply, thumbnailView(data));
        }
      })
    );

    app.route(
      actionRoute('processImage', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body({ file: FILE, actions: { type: ['object', 'string'], description: '{resize: {width, height, fit}, convert: png|jpg|jpeg|webp|tiff|avif|gif, compress: {quality 1-100}}' }, output: OUTPUT }),
        handler: async (request, reply) => {
          const file = required(request, ['file', 'source', 'url'], 'the image: an http(s) URL or a data URI');
          return answer(reply, imageView(await misc.processImage(file, imageActions(request), outputMode(readString(request, ['output'])))));
        }
      })
    );

    app.route(
      actionRoute('uuidGenerate', {
        schema: body({ type: { type: 'string', description: 'uuid (default) or ulid' }, version: { type: 'string', description: 'v1, v3, v4 (default), v5, v6, v7, nil, max' }, namespace: { type: 'string', description: 'v3/v5: a UUID or dns, url, oid, x500' }, name: TEXT, format: { type: 'string', description: 'a mask of x’s (xxxx-xxxx) or compact, upper, lower, braces, urn' }, count: { ...NUMBER, description: '1 to 100' } }),
        handler: async (request, reply) =>
          answer(reply, uuidGenerateView(generateIds({
            type: readString(request, ['type']),
            version: rawText(request, ['version'])?.trim(),
            namespace: readString(request, ['namespace']),
            name: rawText(request, ['name']),
            format: readString(request, ['format']),
            count: readNumber(request, 'count')
          })))
      })
    );

    app.route(
      actionRoute('uuidValidate', {
        schema: body({ value: { type: 'string', description: 'the UUID or ULID' }, type: { type: 'string', description: 'uuid or ulid (default: told by the value)' } }),
        handler: async (request, reply) => {
          const value = required(request, ['value', 'id', 'uuid', 'ulid'], 'the UUID or ULID to check');
          return answer(reply, uuidValidateView(validateId(value, readString(request, ['type']))));
        }
      })
    );

    app.route(
      actionRoute('decryptWhatsappFile', {
        bodyLimit: mediaBodyLimitBytes,
        schema: body({ mediaKey: { type: 'string', description: 'the message’s mediaKey, base64' }, file: { ...FILE, description: 'the encrypted (.enc) file: an http(s) URL or a data URI' }, mimeType: { type: 'string', description: 'the message’s mimetype (picks the keys; types the answer)' }, type: { type: 'string', description: 'image, video, audio, document, sticker, gif, ptt, …; absent: every type is tried' }, mediaType: TEXT, fileSha256: { type: 'string', description: 'the message’s fileSha256 (base64): checked against the decrypted file' }, output: OUTPUT }),
        handler: async (request, reply) => {
          const mediaKey = required(request, ['mediaKey', 'media_key'], 'the message\'s mediaKey (base64)');
          const file = required(request, ['file', 'data', 'encrypted', 'url'], 'the encrypted file: an http(s) URL (e.g. the message\'s url) or a data URI');
          const type = readString(request, ['type', 'mediaType']);
          const mimeType = readString(request, ['mimeType', 'mimetype']);
          const fileSha256 = readString(request, ['fileSha256', 'sha256']);
          const result = await misc.decryptFile({
            mediaKey, file,
            ...(type ? { type } : {}),
            ...(mimeType ? { mimeType } : {}),
            ...(fileSha256 ? { fileSha256 } : {}),
            ...(readString(request, ['output']) ? { output: outputMode(readString(request, ['output'])) } : {})
          });
          return answer(reply, fileDecryptView(result));
        }
      })
    );

    app.route(
      actionRoute('decryptPollVote', {
        schema: body({
          ...SESSION,
          pollUpdateVote: { type: ['object', 'string'], description: 'the pollUpdateMessage {pollCreationMessageKey, vote: {encPayload, encIv}, senderTimestampMs}, or the whole message {key, message: {pollUpdateMessage}}' },
          pollEncKey: { type: 'string', description: 'the poll’s messageSecret (base64); default: from the session’s message store' },
          pollMsgId: TEXT, pollCreatorJid: TEXT, voterJid: TEXT,
          pollOptions: { type: ['array', 'string'], description: 'the poll’s option names, when the session does not have the poll' }
        }),
        handler: async (request, reply) => {
          const pollUpdateVote = read(request, 'pollUpdateVote');
          if (pollUpdateVote === undefined || pollUpdateVote === null || pollUpdateVote === '') {
            throw new GatewayError('MISSING_PARAMETER', 'pollUpdateVote is required: the pollUpdateMessage (or the whole message) the webhook carried');
          }
          const optional = (keys: string[]) => readString(request, keys);
          const result = await misc.pollVote(sessionCommand(request, 'misc'), {
            pollUpdateVote,
            pollEncKey: optional(['pollEncKey', 'pollSecret', 'messageSecret']),
            pollMsgId: optional(['pollMsgId', 'pollId']),
            pollCreatorJid: optional(['pollCreatorJid']),
            voterJid: optional(['voterJid']),
            pollOptions: stringList(structured(request, 'pollOptions'), 'pollOptions')
          });
          return answer(reply, pollVoteView(result));
        }
      })
    );

    app.route(
      actionRoute('validatePhone', {
        schema: body({ ...SESSION, phone: { type: 'string', description: 'the number: +49…, 0049…, international digits, or national with country' }, number: TEXT, country: { type: 'string', description: 'ISO 3166 code (DE, GB, US, ID, …) for national numbers' }, region: TEXT }),
        handler: async (request, reply) => {
          const phone = required(request, ['phone', 'number'], 'the phone number to check');
          return answer(reply, phoneView(await misc.validatePhone(sessionCommand(request, 'misc'), phone, readString(request, ['country', 'region']))));
        }
      })
    );

    app.route(
      actionRoute('validateJid', {
        schema: body({ ...SESSION, jid: { type: 'string', description: 'a JID (…@s.whatsapp.net, …@c.us, …@lid, …@g.us, …@broadcast, …@newsletter) or a phone number' }, target: TEXT }),
        handler: async (request, reply) => {
          const jid = required(request, ['jid', 'target'], 'the JID to check');
          return answer(reply, jidView(await misc.validateJid(sessionCommand(request, 'misc'), jid)));
        }
      })
    );

    app.route(
      actionRoute('resolveJidOrLid', {
        schema: body({ ...SESSION, input: { type: 'string', description: 'a phone number, a …@s.whatsapp.net JID or a …@lid' }, value: TEXT }),
        handler: async (request, reply) => {
          const input = required(request, ['input', 'value'], 'a phone number, PN JID or LID to resolve');
          const command = sessionCommand(request, 'misc');
          if (command.session.sessionId === undefined && command.session.phone === undefined && command.principal?.kind !== 'session') {
            throw new GatewayError('SESSION_REQUIRED', 'sessionId is required: the session whose contacts (and WhatsApp) resolve the identifier');
          }
          return answer(reply, resolveView(await misc.resolve(command, input)));
        }
      })
    );
  };
  return { routes };
}
