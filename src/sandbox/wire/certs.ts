// The sandbox's own certificate authority: a root key clients are told to trust (WA_CERT_DETAILS.PUBLIC_KEY),
// an intermediate signed by it, and a leaf per server static key, shaped exactly like WhatsApp's CertChain.
import { Curve, proto } from 'baileys';

export interface KeyPair {
  public: Buffer;
  private: Buffer;
}

export interface CertificateAuthority {
  root: KeyPair;
  intermediate: KeyPair;
  /** Encoded proto.CertChain for a server whose Noise static public key is `serverStaticPub`. */
  chainFor(serverStaticPub: Buffer): Buffer;
}

const INTERMEDIATE_SERIAL = 1;
const LEAF_SERIAL = 2;

export function generateKeyPair(): KeyPair {
  const pair = Curve.generateKeyPair();
  return { public: Buffer.from(pair.public), private: Buffer.from(pair.private) };
}

function signedCertificate(signer: KeyPair, details: proto.CertChain.NoiseCertificate.IDetails) {
  const encoded = proto.CertChain.NoiseCertificate.Details.encode(details).finish();
  return { details: encoded, signature: Buffer.from(Curve.sign(signer.private, encoded)) };
}

export function createCertificateAuthority(root: KeyPair = generateKeyPair()): CertificateAuthority {
  const intermediate = generateKeyPair();
  const now = Math.floor(Date.now() / 1000);
  const validity = { notBefore: now - 3600, notAfter: now + 10 * 365 * 24 * 3600 };
  // WhatsApp's long-term root has serial 0; Baileys requires intermediate.issuerSerial === 0.
  const intermediateCert = signedCertificate(root, {
    serial: INTERMEDIATE_SERIAL,
    issuerSerial: 0,
    key: intermediate.public,
    ...validity
  });
  return {
    root,
    intermediate,
    chainFor(serverStaticPub: Buffer): Buffer {
      const leaf = signedCertificate(intermediate, {
        serial: LEAF_SERIAL,
        issuerSerial: INTERMEDIATE_SERIAL,
        key: serverStaticPub,
        ...validity
      });
      return Buffer.from(proto.CertChain.encode({ leaf, intermediate: intermediateCert }).finish());
    }
  };
}
