// A device's published keys as the wire carries them: in key-fetch answers, and in the retry receipt a device
// sends when it wants the sender to start a fresh session with it.
import type { BinaryNode } from 'baileys';
import { bigEndian, node } from '../stanza.js';
import type { KeyBundle } from '../world/signal-party.js';

export const registrationNode = (registrationId: number): BinaryNode => node('registration', {}, bigEndian(registrationId, 4));

/** `<type/>`, `<identity/>`, `<skey/>` and, when the bundle has one, the one-time `<key/>`. */
export function keyBundleNodes(bundle: KeyBundle): BinaryNode[] {
  return [
    node('type', {}, Buffer.from([5])),
    node('identity', {}, bundle.identityKey),
    node('skey', {}, [
      node('id', {}, bigEndian(bundle.signedPreKey.keyId, 3)),
      node('value', {}, bundle.signedPreKey.publicKey),
      node('signature', {}, bundle.signedPreKey.signature)
    ]),
    ...(bundle.preKey ? [node('key', {}, [node('id', {}, bigEndian(bundle.preKey.keyId, 3)), node('value', {}, bundle.preKey.publicKey)])] : [])
  ];
}
