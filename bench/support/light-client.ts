// A minimal WhatsApp Web client for load benchmarks: Baileys' own Noise initiator and payload builders
// (real handshake, real pairing and login), without the Signal/app-state machinery of a full socket, so a
// single process can hold a thousand devices.
import {
  Browsers,
  buildPairingQRData,
  configureSuccessfulPairing,
  decodeBinaryNode,
  encodeBinaryNode,
  generateLoginNode,
  generateRegistrationNode,
  initAuthCreds,
  makeNoiseHandler,
  NOISE_WA_HEADER,
  proto,
  type AuthenticationCreds,
  type BinaryNode
} from 'baileys';
import pino from 'pino';
import { WebSocket } from 'ws';

const logger = pino({ level: 'silent' });
const config = { version: [2, 3000, 1043857760] as [number, number, number], browser: Browsers.macOS('Chrome'), countryCode: 'US', syncFullHistory: false };

export class LightClient {
  creds: AuthenticationCreds = initAuthCreds();
  private ws: WebSocket | undefined;

  constructor(private readonly wsUrl: string) {}

  /** Registers (showing a QR through `onQr`) or logs in; resolves at `<success>`, rejects on failure/close. */
  connect(onQr?: (qr: string) => void): Promise<void> {
    const ephemeral = initAuthCreds().noiseKey;
    const noise = makeNoiseHandler({ keyPair: ephemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: logger as any });
    const ws = new WebSocket(this.wsUrl, { origin: 'https://web.whatsapp.com' });
    this.ws = ws;
    let handshakeDone = false;
    let restarting = false;
    return new Promise<void>((resolve, reject) => {
      const send = (node: BinaryNode) => ws.send(noise.encodeFrame(encodeBinaryNode(node)));
      ws.on('open', () => ws.send(noise.encodeFrame(proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish())));
      ws.on('close', () => restarting || reject(new Error('closed before login')));
      ws.on('error', reject);
      ws.on('message', (data: Buffer) => {
        void noise.decodeFrame(data, async (frame: Uint8Array | BinaryNode) => {
          if (!handshakeDone) {
            handshakeDone = true;
            const keyEnc = noise.processHandshake(proto.HandshakeMessage.decode(frame as Uint8Array), this.creds.noiseKey);
            const payload = this.creds.me ? generateLoginNode(this.creds.me.id, config as any) : generateRegistrationNode(this.creds, config as any);
            const payloadEnc = noise.encrypt(proto.ClientPayload.encode(payload).finish());
            ws.send(noise.encodeFrame(proto.HandshakeMessage.encode({ clientFinish: { static: keyEnc, payload: payloadEnc } }).finish()));
            await noise.finishInit();
            return;
          }
          const node = frame as BinaryNode;
          const child = Array.isArray(node.content) ? node.content[0] : undefined;
          if (node.tag === 'success') resolve();
          else if (node.tag === 'failure') reject(new Error(`login failure ${node.attrs.reason}`));
          else if (node.tag === 'stream:error') {
            if (node.attrs.code === '515') {
              restarting = true;
              this.connect().then(resolve, reject);
            }
            else reject(new Error(`stream error ${node.attrs.code}`));
          } else if (node.tag === 'iq' && child?.tag === 'pair-device') {
            send({ tag: 'iq', attrs: { to: 's.whatsapp.net', type: 'result', id: node.attrs.id! } });
            const ref = Buffer.from((child.content as BinaryNode[])[0]!.content as Uint8Array).toString('utf8');
            onQr?.(
              buildPairingQRData(ref, Buffer.from(this.creds.noiseKey.public).toString('base64'), Buffer.from(this.creds.signedIdentityKey.public).toString('base64'), this.creds.advSecretKey, config.browser as any)
            );
          } else if (node.tag === 'iq' && child?.tag === 'pair-success') {
            const { creds, reply } = configureSuccessfulPairing(node, this.creds);
            Object.assign(this.creds, creds);
            send(reply);
          }
        }).catch(reject);
      });
    });
  }

  close(): void {
    this.ws?.terminate();
  }
}

export { decodeBinaryNode };
