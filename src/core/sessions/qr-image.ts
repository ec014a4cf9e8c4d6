// QR codes as the API hands them out: a PNG data URL (WARest `qr` field), raw PNG bytes (image route), and
// a terminal rendering for the sandbox demo and dev mode.
import QRCode from 'qrcode';

const IMAGE = { errorCorrectionLevel: 'L', margin: 2, width: 320 } as const;
// pngjs tries all five PNG row filters on every row unless told one; for a QR code, Paeth alone gives the same
// size (6.2 vs 5.9 KB) in half the CPU (an image is rendered for every session created). qrcode hands
// `rendererOpts` to pngjs as they are; its typings list only some of pngjs' options.
const PAETH_FILTER_ONLY: object = { filterType: 4 };

export async function qrDataUrl(qr: string): Promise<string> {
  return QRCode.toDataURL(qr, { ...IMAGE, rendererOpts: PAETH_FILTER_ONLY });
}

export async function qrPng(qr: string): Promise<Buffer> {
  return QRCode.toBuffer(qr, { ...IMAGE, type: 'png', rendererOpts: PAETH_FILTER_ONLY });
}

export async function qrTerminal(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
