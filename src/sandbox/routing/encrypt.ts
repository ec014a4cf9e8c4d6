// Signal encryption from a simulated device to any device on the network, building the session from the
// target's published bundle the first time (one one-time prekey per new session, as WhatsApp hands out).
import { encodeWAMessage, generateSignalPubKey, type proto } from 'baileys';
import type { DeviceAddress } from '../world/accounts.js';
import type { KeyBundle, SignalParty } from '../world/signal-party.js';

export interface Ciphertext {
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
}

/** Simulated parties key every session by the device's LID address, whatever form the wire used. */
export const sessionJid = (target: DeviceAddress): string => target.account.lidDevice(target.device);

export async function injectSession(party: SignalParty, jid: string, bundle: KeyBundle): Promise<void> {
  // libsignal wants type-prefixed (33-byte) public keys; bundles carry WhatsApp's raw 32-byte form.
  await party.repository.injectE2ESession({
    jid,
    session: {
      registrationId: bundle.registrationId,
      identityKey: generateSignalPubKey(bundle.identityKey),
      signedPreKey: { ...bundle.signedPreKey, publicKey: generateSignalPubKey(bundle.signedPreKey.publicKey) },
      ...(bundle.preKey ? { preKey: { ...bundle.preKey, publicKey: generateSignalPubKey(bundle.preKey.publicKey) } } : {})
    }
  });
}

export async function ensureSession(party: SignalParty, target: DeviceAddress): Promise<string> {
  const jid = sessionJid(target);
  const { exists } = await party.repository.validateSession(jid);
  if (!exists) {
    const bundle = await target.account.bundleFor(target.device);
    if (!bundle) throw new Error(`no key bundle for ${jid}`);
    await injectSession(party, jid, bundle);
  }
  return jid;
}

export async function encryptFor(party: SignalParty, target: DeviceAddress, message: proto.IMessage): Promise<Ciphertext> {
  const jid = await ensureSession(party, target);
  return party.repository.encryptMessage({ jid, data: encodeWAMessage(message) });
}
