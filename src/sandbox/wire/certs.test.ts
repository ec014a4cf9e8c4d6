import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import { createCertificateAuthority, generateKeyPair } from './certs.js';
import { signatureValid } from '../world/adv.js';

test('the certificate chain is signed for real: libsignal verifies every signature and rejects tampering', () => {
  const authority = createCertificateAuthority();
  const serverStatic = generateKeyPair();
  const chain = proto.CertChain.decode(authority.chainFor(serverStatic.public));
  const intermediate = chain.intermediate!;
  const leaf = chain.leaf!;
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.decode(intermediate.details!);
  const leafDetails = proto.CertChain.NoiseCertificate.Details.decode(leaf.details!);

  assert.equal(intermediateDetails.issuerSerial, 0);
  assert.deepEqual(Buffer.from(leafDetails.key!), serverStatic.public);
  assert.equal(signatureValid(authority.root.public, intermediate.details!, intermediate.signature!), true);
  assert.equal(signatureValid(Buffer.from(intermediateDetails.key!), leaf.details!, leaf.signature!), true);

  const tampered = Buffer.from(leaf.signature!);
  tampered[5] = tampered[5]! ^ 0xff;
  assert.equal(signatureValid(Buffer.from(intermediateDetails.key!), leaf.details!, tampered), false);
  const otherRoot = generateKeyPair();
  assert.equal(signatureValid(otherRoot.public, intermediate.details!, intermediate.signature!), false);
});
