// WARest's Miscellaneous results (its misc routes: `{data, meta}` for produced bytes, `{data:{…}}` for checks),
// each with the envelope message WARest's route uses where it has one.
import type { EncodedBase64 } from '../../../core/misc/base64.js';
import type { DeliveredBytes } from '../../../core/misc/binary-output.js';
import type { DigestResult } from '../../../core/misc/hashing.js';
import type { GeneratedIds, IdValidation } from '../../../core/misc/ids.js';
import type { JidValidation } from '../../../core/misc/jid-kind.js';
import type { ProcessedImage, Thumbnail } from '../../../core/misc/media-tools.js';
import type { DecryptedFile, DecryptedPollVote, ResolvedId } from '../../../core/misc/misc.js';
import type { PhoneValidation } from '../../../core/misc/phone.js';
import type { QrResult } from '../../../core/misc/qr.js';
import { succeeded, type Outcome } from './outcome.js';

export const qrView = (qr: QrResult): Outcome => succeeded(`String converted to QR (${qr.meta.format.toUpperCase()})`, qr);

export const base64View = (action: 'encode' | 'decode', result: DeliveredBytes | EncodedBase64): Outcome =>
  succeeded(action === 'encode' ? 'Encoded to base64' : 'Decoded from base64', result);

export const hashView = (result: DigestResult): Outcome => succeeded('Hash generated', result);
export const hmacView = (result: DigestResult): Outcome => succeeded('HMAC generated', result);

export const thumbnailView = (data: Thumbnail[]): Outcome => succeeded(data.length > 1 ? `${data.length} thumbnails generated` : 'Thumbnail generated', { data });
export const imageView = (result: ProcessedImage): Outcome => succeeded('Image processed', result);

export const uuidGenerateView = (result: GeneratedIds): Outcome => succeeded(result.count > 1 ? `${result.count} identifiers generated` : 'Identifier generated', result);
export const uuidValidateView = (data: IdValidation): Outcome => succeeded('Validation complete', { data });

export const fileDecryptView = (result: DecryptedFile): Outcome => succeeded('File decrypted', result);
export const pollVoteView = (result: DecryptedPollVote): Outcome => succeeded('Poll vote decrypted', result);

export const phoneView = (data: PhoneValidation & { exists: boolean | null; lid: string | null }): Outcome => succeeded('Phone validation complete', { data });
export const jidView = (data: JidValidation & { exists: boolean | null }): Outcome => succeeded('JID validation complete', { data });
export const resolveView = (data: ResolvedId): Outcome => succeeded(data.resolved ? 'Identifier resolved' : 'Identifier not resolved: the session knows no counterpart', { data });
