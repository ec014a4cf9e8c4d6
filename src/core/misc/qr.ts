// "Convert String to QR": a QR code of a text (or of bytes given as base64 or hex) as a PNG, JPEG or WebP image,
// an SVG document, a data URL, or terminal text. PNG and SVG come from `qrcode`; JPEG and WebP are the PNG
// re-encoded by sharp (the shared image loader).
import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';
import { GatewayError } from '../errors.js';
import { encodeImage, openImage } from '../media/image-tools.js';
import { decodeBase64, decodeHex, deliver, type DeliveredBytes, type OutputMode } from './binary-output.js';

export const QR_TARGETS = ['png', 'jpg', 'jpeg', 'webp', 'svg', 'base64', 'dataurl', 'terminal', 'text'] as const;
export type QrTarget = (typeof QR_TARGETS)[number];

const TARGET_ALIASES: Record<string, QrTarget> = {
  png: 'png', jpg: 'jpg', jpeg: 'jpeg', webp: 'webp', svg: 'svg', base64: 'base64',
  dataurl: 'dataurl', datauri: 'dataurl', url: 'dataurl',
  terminal: 'terminal', ascii: 'terminal', text: 'text', txt: 'text', utf8: 'text',
};

const ENCODINGS = ['utf8', 'ascii', 'latin1', 'base64', 'hex'] as const;
type QrEncoding = (typeof ENCODINGS)[number];

export interface QrInput {
  target: string;
  string: string;
  /** how `string` is read: utf8 (default), ascii, latin1, or base64/hex for bytes */
  encoding?: string;
  output?: OutputMode;
  /** image side in pixels (PNG, JPEG, WebP) */
  width?: number;
  errorCorrectionLevel?: string;
}

export interface QrResult extends DeliveredBytes {
  meta: DeliveredBytes['meta'] & { format: string; target: QrTarget };
}

export const QR_MAX_WIDTH = 2048;

export function qrTarget(raw: string): QrTarget {
  const target = TARGET_ALIASES[raw.trim().toLowerCase().replace(/[\s_-]/g, '')];
  if (!target) throw new GatewayError('INVALID_PARAMETER', `target "${raw.slice(0, 40)}" is not supported; use png, jpg, jpeg, webp, svg, base64 (a PNG data URL), dataurl, terminal or text`);
  return target;
}

function qrEncoding(raw: string | undefined): QrEncoding {
  const value = (raw ?? 'utf8').trim().toLowerCase().replace('-', '');
  const encoding = value === 'binary' ? 'latin1' : value;
  if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new GatewayError('INVALID_PARAMETER', `encoding "${raw?.slice(0, 40)}" is not supported; use utf8, ascii, latin1, base64 or hex`);
  return encoding as QrEncoding;
}

function payload(text: string, encoding: QrEncoding): Buffer {
  if (encoding === 'base64' || encoding === 'hex') {
    const bytes = encoding === 'base64' ? decodeBase64(text) : decodeHex(text);
    if (!bytes) throw new GatewayError('INVALID_PARAMETER', `string is not valid ${encoding}; send the text itself with encoding utf8`);
    return bytes;
  }
  return Buffer.from(text, encoding);
}

function level(raw: string | undefined): QRCodeErrorCorrectionLevel {
  const value = (raw ?? 'M').trim().toUpperCase();
  const found = { L: 'L', LOW: 'L', M: 'M', MEDIUM: 'M', Q: 'Q', QUARTILE: 'Q', H: 'H', HIGH: 'H' }[value];
  if (!found) throw new GatewayError('INVALID_PARAMETER', `errorCorrectionLevel "${raw?.slice(0, 20)}" is not one of L, M, Q, H`);
  return found as QRCodeErrorCorrectionLevel;
}

/** The QR code of `input.string` in the target's format. */
export async function makeQr(input: QrInput): Promise<QrResult> {
  const target = qrTarget(input.target);
  if (input.string === '') throw new GatewayError('MISSING_PARAMETER', 'string is required: the text to put in the QR code');
  const bytes = payload(input.string, qrEncoding(input.encoding));
  const width = input.width ?? 320;
  if (!Number.isInteger(width) || width < 32 || width > QR_MAX_WIDTH) throw new GatewayError('INVALID_PARAMETER', `width must be a whole number of pixels from 32 to ${QR_MAX_WIDTH}`);
  const options = { errorCorrectionLevel: level(input.errorCorrectionLevel), margin: 2 };
  const segments = [{ mode: 'byte' as const, data: bytes }];
  const meta = (result: DeliveredBytes, format: string): QrResult => ({ ...result, meta: { ...result.meta, format, target } });
  try {
    switch (target) {
      case 'svg': {
        const svg = Buffer.from(await QRCode.toString(segments, { ...options, type: 'svg', width }));
        return meta(deliver(svg, input.output ?? 'string', 'image/svg+xml'), 'svg');
      }
      case 'terminal':
      case 'text': {
        const art = await QRCode.toString(segments, target === 'terminal' ? { ...options, type: 'terminal', small: true } : { ...options, type: 'utf8' });
        return meta(deliver(Buffer.from(art), 'string', 'text/plain'), target);
      }
      default: {
        const png = await QRCode.toBuffer(segments, { ...options, type: 'png', width });
        // `base64` is WARest's name for a PNG data URL; other image targets answer plain base64 unless a data URL is
        // asked for (an image is never text, so output string means base64 too).
        const mode: OutputMode = input.output === 'dataurl' || target === 'base64' || target === 'dataurl' ? 'dataurl' : 'base64';
        if (target === 'jpg' || target === 'jpeg' || target === 'webp') {
          const { image } = await openImage(png, false);
          const pipeline = target === 'webp' ? image.webp({ lossless: true }) : image.flatten({ background: '#ffffff' }).jpeg({ quality: 92 });
          const { data } = await encodeImage(pipeline);
          return meta(deliver(data, mode, target === 'webp' ? 'image/webp' : 'image/jpeg'), target === 'webp' ? 'webp' : 'jpeg');
        }
        return meta(deliver(png, mode, 'image/png'), 'png');
      }
    }
  } catch (err) {
    if (err instanceof Error && /too big/i.test(err.message)) {
      throw new GatewayError('INVALID_PARAMETER', `string is too long for a QR code (${bytes.length} bytes; at most about 2,900 with errorCorrectionLevel L); shorten it`, { cause: err });
    }
    throw err;
  }
}
