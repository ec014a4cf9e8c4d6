// QR codes as the API hands them out: a PNG data URL (WARest `qr` field), raw PNG bytes (image route), and
// a terminal rendering for the sandbox demo and dev mode.
import QRCode from 'qrcode';

export async function qrDataUrl(qr: string): Promise<string> {
  return QRCode.toDataURL(qr, { errorCorrectionLevel: 'L', margin: 2, width: 320 });
}

export async function qrPng(qr: string): Promise<Buffer> {
  return QRCode.toBuffer(qr, { errorCorrectionLevel: 'L', margin: 2, width: 320, type: 'png' });
}

export async function qrTerminal(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
