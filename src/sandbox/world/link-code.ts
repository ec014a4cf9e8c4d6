// Pairing-code linking, phone side: the code wraps both parties' ephemeral keys; the companion's key bundle
// proves it knew the code; both sides derive the same ADV secret (whatsapp-web-wire.md §4.3).
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { aesDecryptCTR, aesEncryptCTR, Curve, derivePairingCodeKey } from 'baileys';
import type { KeyPair } from '../wire/certs.js';
import { generateKeyPair } from '../wire/certs.js';

export interface PhoneEphemeral {
  pair: KeyPair;
  companionEphemeral: Buffer;
  wrappedPrimaryEphemeral: Buffer;
}

export async function unwrapWithCode(code: string, wrapped: Buffer): Promise<Buffer> {
  if (wrapped.length !== 80) throw new RangeError('wrapped ephemeral key must be 80 bytes');
  const key = await derivePairingCodeKey(code, wrapped.subarray(0, 32));
  return Buffer.from(aesDecryptCTR(wrapped.subarray(48), key, wrapped.subarray(32, 48)));
}

export async function phoneEphemeral(code: string, wrappedCompanionEphemeral: Buffer): Promise<PhoneEphemeral> {
  const companionEphemeral = await unwrapWithCode(code, wrappedCompanionEphemeral);
  const pair = generateKeyPair();
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await derivePairingCodeKey(code, salt);
  const wrappedPrimaryEphemeral = Buffer.concat([salt, iv, aesEncryptCTR(pair.public, key, iv)]);
  return { pair, companionEphemeral, wrappedPrimaryEphemeral };
}

export interface CompanionBundle {
  companionIdentity: Buffer;
  advSecret: Buffer;
}

/** Opens the companion's wrapped key bundle; throws when the code the phone entered was wrong. */
export function openKeyBundle(ephemeral: PhoneEphemeral, phoneIdentity: KeyPair, wrappedBundle: Buffer): CompanionBundle {
  const shared = Curve.sharedKey(ephemeral.pair.private, ephemeral.companionEphemeral);
  const salt = wrappedBundle.subarray(0, 32);
  const iv = wrappedBundle.subarray(32, 44);
  const sealed = wrappedBundle.subarray(44);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, 'link_code_pairing_key_bundle_encryption_key', 32));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  const companionIdentity = plain.subarray(0, 32);
  if (!plain.subarray(32, 64).equals(phoneIdentity.public)) throw new Error('key bundle names another primary identity');
  const random = plain.subarray(64, 96);
  const identityShared = Curve.sharedKey(phoneIdentity.private, companionIdentity);
  const advSecret = Buffer.from(
    hkdfSync('sha256', Buffer.concat([shared, identityShared, random]), Buffer.alloc(0), 'adv_secret', 32)
  );
  return { companionIdentity: Buffer.from(companionIdentity), advSecret };
}
