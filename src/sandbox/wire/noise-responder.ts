// Server side of WhatsApp's Noise_XX_25519_AESGCM_SHA256 handshake and the transport cipher that follows it.
// Baileys only ships the initiator; this mirrors it step by step (see whatsapp-web-wire.md §2.2).
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { Curve, NOISE_MODE, NOISE_WA_HEADER, proto } from 'baileys';
import type { CertificateAuthority, KeyPair } from './certs.js';
import { generateKeyPair } from './certs.js';

const TAG_LENGTH = 16;

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(counter, 8);
  return out;
}

function aesGcmEncrypt(key: Buffer, counter: number, aad: Buffer, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv(counter));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function aesGcmDecrypt(key: Buffer, counter: number, aad: Buffer, ciphertext: Uint8Array): Buffer {
  if (ciphertext.length < TAG_LENGTH) throw new Error('ciphertext shorter than its tag');
  const body = ciphertext.subarray(0, ciphertext.length - TAG_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, iv(counter));
  decipher.setAAD(aad);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function split64(ikm: Uint8Array, salt: Buffer): [Buffer, Buffer] {
  const out = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.alloc(0), 64));
  return [out.subarray(0, 32), out.subarray(32)];
}

/** Encrypts server→client frames and decrypts client→server frames once the handshake is done. */
export class NoiseTransport {
  private readCounter = 0;
  private writeCounter = 0;
  constructor(
    private readonly encKey: Buffer,
    private readonly decKey: Buffer
  ) {}
  encrypt(plaintext: Uint8Array): Buffer {
    return aesGcmEncrypt(this.encKey, this.writeCounter++, Buffer.alloc(0), plaintext);
  }
  decrypt(ciphertext: Uint8Array): Buffer {
    return aesGcmDecrypt(this.decKey, this.readCounter++, Buffer.alloc(0), ciphertext);
  }
}

export interface HandshakeResult {
  /** The client's long-term Noise public key (creds.noiseKey.public): identifies the companion. */
  clientStaticPub: Buffer;
  payload: proto.ClientPayload;
  transport: NoiseTransport;
}

export class NoiseResponder {
  private hash: Buffer;
  private salt: Buffer;
  private key: Buffer;
  private counter = 0;
  private readonly ephemeral: KeyPair = generateKeyPair();
  private clientEphemeral: Buffer | undefined;

  constructor(
    private readonly staticKey: KeyPair,
    private readonly authority: CertificateAuthority
  ) {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.length === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.key = this.hash;
    this.hash = sha256(this.hash, NOISE_WA_HEADER);
  }

  private mix(ikm: Uint8Array): void {
    [this.salt, this.key] = split64(ikm, this.salt);
    this.counter = 0;
  }

  private encrypt(plaintext: Uint8Array): Buffer {
    const out = aesGcmEncrypt(this.key, this.counter++, this.hash, plaintext);
    this.hash = sha256(this.hash, out);
    return out;
  }

  private decrypt(ciphertext: Uint8Array): Buffer {
    const out = aesGcmDecrypt(this.key, this.counter++, this.hash, ciphertext);
    this.hash = sha256(this.hash, ciphertext);
    return out;
  }

  /** Takes the client's first message (HandshakeMessage bytes) and returns the serverHello bytes. */
  respondToHello(message: Uint8Array): Buffer {
    const hello = proto.HandshakeMessage.decode(message).clientHello;
    const clientEphemeral = hello?.ephemeral;
    if (!clientEphemeral || clientEphemeral.length !== 32) throw new Error('clientHello without a 32-byte ephemeral');
    this.clientEphemeral = Buffer.from(clientEphemeral);
    this.hash = sha256(this.hash, this.clientEphemeral);
    this.hash = sha256(this.hash, this.ephemeral.public);
    this.mix(Curve.sharedKey(this.ephemeral.private, this.clientEphemeral));
    const encryptedStatic = this.encrypt(this.staticKey.public);
    this.mix(Curve.sharedKey(this.staticKey.private, this.clientEphemeral));
    const encryptedChain = this.encrypt(this.authority.chainFor(this.staticKey.public));
    return Buffer.from(
      proto.HandshakeMessage.encode({
        serverHello: { ephemeral: this.ephemeral.public, static: encryptedStatic, payload: encryptedChain }
      }).finish()
    );
  }

  /** Takes clientFinish bytes; returns the client's identity, its ClientPayload and the transport cipher. */
  finish(message: Uint8Array): HandshakeResult {
    if (!this.clientEphemeral) throw new Error('clientFinish before clientHello');
    const finishMsg = proto.HandshakeMessage.decode(message).clientFinish;
    if (!finishMsg?.static || !finishMsg.payload) throw new Error('clientFinish without static key or payload');
    // The client encrypts its static key with the counter left at 1 by the certificate (no reset in between).
    const clientStaticPub = this.decrypt(finishMsg.static);
    if (clientStaticPub.length !== 32) throw new Error('client static key is not 32 bytes');
    this.mix(Curve.sharedKey(this.ephemeral.private, clientStaticPub));
    const payload = proto.ClientPayload.decode(this.decrypt(finishMsg.payload));
    const [clientWrite, clientRead] = split64(Buffer.alloc(0), this.salt);
    return { clientStaticPub, payload, transport: new NoiseTransport(clientRead, clientWrite) };
  }
}
