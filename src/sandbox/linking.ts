// Device linking and login: QR refs for registering clients, the phone scanning a QR or entering a pairing
// code, pair-success / pair-device-sign, the 515 restart, login checks, unlinking and logout.
import { randomBytes } from 'node:crypto';
import type { BinaryNode, proto } from 'baileys';
import type { SandboxConnection } from './connection.js';
import type { SandboxNetwork } from './network.js';
import { child, contentBytes, iqResult, node, stanzaId, uint, unixNow } from './stanza.js';
import type { Account, Companion } from './world/accounts.js';
import { companionSignatureValid, issueDeviceIdentity } from './world/adv.js';
import { openKeyBundle, phoneEphemeral, type PhoneEphemeral } from './world/link-code.js';
import { PreKeyShelf } from './world/pre-key-shelf.js';

const QR_REF_COUNT = 6;
const QR_PREFIX = 'https://wa.me/settings/linked_devices#';

export class LinkError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

interface CodeLink {
  phone: string;
  wrappedEphemeral: Buffer;
  /** set once the phone has entered a code, waiting for the companion's key bundle */
  entered?: { code: string; ephemeral: PhoneEphemeral; resolve: (bundle: Buffer) => void; reject: (e: Error) => void };
}

interface PendingRegistration {
  payload: proto.ClientPayload;
  refs: string[];
  codeLink?: CodeLink;
}

export class Linking {
  private readonly pending = new Map<SandboxConnection, PendingRegistration>();

  constructor(private readonly network: SandboxNetwork) {}

  beginRegistration(conn: SandboxConnection, payload: proto.ClientPayload): void {
    const refs = Array.from({ length: QR_REF_COUNT }, () => `2@${randomBytes(24).toString('base64')}`);
    this.pending.set(conn, { payload, refs });
    const iq = node('iq', { from: 's.whatsapp.net', type: 'set', id: stanzaId(), xmlns: 'md' }, [
      node('pair-device', {}, refs.map((ref) => node('ref', {}, Buffer.from(ref))))
    ]);
    // Not awaited: the client's answer arrives on this connection's own frame queue, which is busy with us.
    conn.send(iq);
  }

  forget(conn: SandboxConnection): void {
    const pending = this.pending.get(conn);
    pending?.codeLink?.entered?.reject(new LinkError(409, 'the linking device disconnected before finishing'));
    this.pending.delete(conn);
  }

  /** IQs a client sends before it is linked: pairing-code stages and keepalive pings. */
  async handleRegistrationStanza(conn: SandboxConnection, stanza: BinaryNode): Promise<void> {
    if (stanza.tag !== 'iq' || stanza.attrs.type === 'result' || stanza.attrs.type === 'error') return;
    const pending = this.pending.get(conn);
    const reg = child(stanza, 'link_code_companion_reg');
    if (pending && reg?.attrs.stage === 'companion_hello') {
      const wrapped = contentBytes(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'));
      const phone = reg.attrs.jid?.split('@')[0] ?? '';
      if (wrapped) pending.codeLink = { phone, wrappedEphemeral: wrapped };
    } else if (pending?.codeLink?.entered && reg?.attrs.stage === 'companion_finish') {
      const bundle = contentBytes(child(reg, 'link_code_pairing_wrapped_key_bundle'));
      if (bundle) pending.codeLink.entered.resolve(bundle);
    }
    conn.send(iqResult(stanza));
  }

  async linkByQr(account: Account, qr: string): Promise<Companion> {
    const [ref, noiseB64, identityB64, advB64] = (qr.startsWith(QR_PREFIX) ? qr.slice(QR_PREFIX.length) : qr).split(',');
    if (!ref || !noiseB64 || !identityB64 || !advB64) throw new LinkError(400, 'qr must be the string a WhatsApp Web client shows (ref,noiseKey,identityKey,advSecret[,platform])');
    const entry = [...this.pending.entries()].find(([, p]) => p.refs.includes(ref));
    if (!entry) throw new LinkError(404, 'no device is showing this QR code (expired, or already linked)');
    const [conn, pending] = entry;
    if (!conn.clientStaticPub?.equals(Buffer.from(noiseB64, 'base64'))) throw new LinkError(400, 'the QR noise key does not match the waiting device');
    const identity = Buffer.from(identityB64, 'base64');
    if (!identity.equals(Buffer.from(pending.payload.devicePairingData?.eIdent ?? []))) throw new LinkError(400, 'the QR identity key does not match the waiting device');
    return this.completeLink(conn, pending, account, identity, Buffer.from(advB64, 'base64'));
  }

  async linkByCode(account: Account, code: string): Promise<Companion> {
    const normalized = code.replace(/-/g, '').toUpperCase();
    if (!/^[0-9A-Z]{8}$/.test(normalized)) throw new LinkError(400, 'pairingCode must be the 8-character code the device shows (e.g. ABCD-EFGH)');
    const entry = [...this.pending.entries()].find(([, p]) => p.codeLink?.phone === account.phone && !p.codeLink.entered);
    if (!entry) throw new LinkError(404, `no device is waiting for a pairing code for ${account.phone}`);
    const [conn, pending] = entry;
    const codeLink = pending.codeLink!;
    const ephemeral = await phoneEphemeral(normalized, codeLink.wrappedEphemeral);
    const bundlePromise = new Promise<Buffer>((resolve, reject) => {
      codeLink.entered = { code: normalized, ephemeral, resolve, reject };
    });
    conn.send(
      node('notification', { from: 's.whatsapp.net', type: 'link_code_companion_reg', id: stanzaId(), t: unixNow() }, [
        node('link_code_companion_reg', {}, [
          node('link_code_pairing_ref', {}, randomBytes(16)),
          node('primary_identity_pub', {}, account.phoneParty.identity.public),
          node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, ephemeral.wrappedPrimaryEphemeral)
        ])
      ])
    );
    const bundle = await withTimeout(bundlePromise, 20_000, 'the device did not answer the pairing code');
    let opened;
    try {
      opened = openKeyBundle(ephemeral, account.phoneParty.identity, bundle);
    } catch {
      delete codeLink.entered;
      throw new LinkError(400, 'wrong pairing code: the device could not prove it knows it');
    }
    return this.completeLink(conn, pending, account, opened.companionIdentity, opened.advSecret);
  }

  private async completeLink(conn: SandboxConnection, pending: PendingRegistration, account: Account, identity: Buffer, advSecret: Buffer): Promise<Companion> {
    this.pending.delete(conn);
    const data = pending.payload.devicePairingData!;
    const companion = account.addCompanion({
      noiseKey: conn.clientStaticPub!,
      platform: 'web',
      keys: {
        registrationId: uint(Buffer.from(data.eRegid ?? [])),
        identityKey: identity,
        signedPreKey: {
          keyId: uint(Buffer.from(data.eSkeyId ?? [])),
          publicKey: Buffer.from(data.eSkeyVal ?? []),
          signature: Buffer.from(data.eSkeySig ?? [])
        },
        preKeys: new PreKeyShelf()
      }
    });
    const issued = issueDeviceIdentity(account.phoneParty.identity, identity, advSecret, companion.id);
    const reply = await conn.query(
      node('iq', { from: 's.whatsapp.net', type: 'set', id: stanzaId(), t: unixNow() }, [
        node('pair-success', {}, [
          node('device-identity', {}, issued.hmacEnvelope),
          node('platform', { name: 'android' }),
          node('device', { jid: account.pnDevice(companion.id), lid: account.lidDevice(companion.id) })
        ])
      ])
    );
    const signed = contentBytes(child(child(reply, 'pair-device-sign'), 'device-identity'));
    if (reply.attrs.type !== 'result' || !signed || !companionSignatureValid(signed, account.phoneParty.identity, identity, issued)) {
      companion.removed = true;
      conn.close();
      throw new LinkError(502, 'the device did not countersign its identity correctly');
    }
    companion.deviceIdentity = signed;
    this.network.logger.info({ device: account.pnDevice(companion.id) }, 'device linked');
    // WhatsApp restarts the stream after pairing; the client reconnects and logs in.
    setImmediate(() => conn.streamError({ code: '515' }));
    return companion;
  }

  async login(conn: SandboxConnection, payload: proto.ClientPayload): Promise<void> {
    const phone = payload.username ? String(payload.username) : '';
    const companion = this.network.accounts.get(phone)?.activeCompanion(payload.device ?? -1);
    if (!companion || !conn.clientStaticPub?.equals(companion.noiseKey)) {
      this.network.logger.info({ phone, device: payload.device }, 'login refused: unknown or unlinked device');
      conn.failure('401');
      return;
    }
    const { account } = companion;
    this.network.bringOnline(conn, companion);
    conn.send(node('success', { t: unixNow(), props: '1', location: 'sandbox', lid: account.lidDevice(companion.id), creation: unixNow() }));
    const offline = companion.offline.splice(0);
    for (const stanza of offline) conn.sendTracked(stanza);
    conn.send(node('ib', { from: 's.whatsapp.net' }, [node('offline', { count: String(offline.length) })]));
  }

  /** The phone removes a linked device: a live socket gets WhatsApp's device_removed stream error. */
  unlink(companion: Companion): void {
    companion.removed = true;
    const conn = this.network.connectionOf(companion);
    conn?.streamError({ code: '401' }, [node('conflict', { type: 'device_removed' })]);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new LinkError(504, message)), ms);
    })
  ]).finally(() => clearTimeout(timer));
}
