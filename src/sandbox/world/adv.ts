// The primary phone's side of device linking: it vouches for a companion's identity key with its account
// key (ADV signatures) and checks the companion's counter-signature. Signed exactly as WhatsApp does.
import { createHmac, randomInt } from 'node:crypto';
import { Curve, proto, WA_ADV_ACCOUNT_SIG_PREFIX, WA_ADV_DEVICE_SIG_PREFIX } from 'baileys';
import { verifySignature } from 'libsignal/src/curve.js';
import type { KeyPair } from '../wire/certs.js';

const withVersionByte = (key: Uint8Array) => (key.length === 33 ? key : Buffer.concat([Buffer.from([5]), key]));

/** libsignal's own boolean answer (Baileys' Curve.verify swallows a failed check). */
export function signatureValid(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifySignature(withVersionByte(publicKey), message, signature);
  } catch {
    return false;
  }
}

export interface IssuedIdentity {
  /** encoded ADVSignedDeviceIdentityHMAC for `<pair-success><device-identity>` */
  hmacEnvelope: Buffer;
  deviceDetails: Buffer;
  keyIndex: number;
}

export function issueDeviceIdentity(account: KeyPair, companionIdentity: Buffer, advSecret: Buffer, keyIndex: number): IssuedIdentity {
  const deviceDetails = Buffer.from(
    proto.ADVDeviceIdentity.encode({ rawId: randomInt(1, 2 ** 31), timestamp: Math.floor(Date.now() / 1000), keyIndex }).finish()
  );
  const accountSignature = Curve.sign(account.private, Buffer.concat([WA_ADV_ACCOUNT_SIG_PREFIX, deviceDetails, companionIdentity]));
  const signed = Buffer.from(
    proto.ADVSignedDeviceIdentity.encode({ details: deviceDetails, accountSignatureKey: account.public, accountSignature }).finish()
  );
  const hmac = createHmac('sha256', advSecret).update(signed).digest();
  const hmacEnvelope = Buffer.from(proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish());
  return { hmacEnvelope, deviceDetails, keyIndex };
}

/** Checks the companion's `<pair-device-sign>` answer: its device signature over our details and keys. */
export function companionSignatureValid(signedIdentity: Uint8Array, account: KeyPair, companionIdentity: Buffer, issued: IssuedIdentity): boolean {
  const decoded = proto.ADVSignedDeviceIdentity.decode(signedIdentity);
  if (!decoded.details || !decoded.deviceSignature) return false;
  if (!Buffer.from(decoded.details).equals(issued.deviceDetails)) return false;
  const message = Buffer.concat([WA_ADV_DEVICE_SIG_PREFIX, decoded.details, companionIdentity, account.public]);
  return signatureValid(companionIdentity, message, decoded.deviceSignature);
}
