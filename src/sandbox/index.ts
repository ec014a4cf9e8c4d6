// Starting and stopping a sandbox network: the WhatsApp Web WebSocket endpoint, the control API and the
// media host, each on its own port (0 = ephemeral). Used in-process by tests and by the standalone CLI.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { SandboxNetwork } from './network.js';
import { createCertificateAuthority, type KeyPair } from './wire/certs.js';
import { sandboxLogger, type SandboxLogger } from './logger.js';
import { sandboxFeatures } from './features/index.js';
import { buildControlApi } from './control/api.js';
import { startMediaHost, type MediaHost } from './media/host.js';

export interface SandboxOptions {
  host?: string;
  port?: number;
  controlPort?: number;
  mediaPort?: number;
  logger?: SandboxLogger;
  /** reuse a root key (e.g. one trusted process-wide); a fresh one is made otherwise */
  rootKey?: KeyPair;
  historyMappings?: 'all' | 'known';
}

export interface RunningSandbox {
  network: SandboxNetwork;
  wsUrl: string;
  controlUrl: string;
  mediaUrl: string;
  /** hex X25519 root public key clients must trust (WA_CERT_DETAILS.PUBLIC_KEY) */
  rootPublicKey: string;
  /** PEM of the media host's self-signed certificate (for NODE_EXTRA_CA_CERTS) */
  mediaCaPem: string;
  stop(): Promise<void>;
}

/**
 * As the gateway's default: a benchmark's thousand phones or linked devices connect in one burst, which overflows
 * Node's default of 511 and leaves the dropped connections waiting for their SYNs to be retried.
 */
const LISTEN_BACKLOG = 4096;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? sandboxLogger();
  const authority = createCertificateAuthority(options.rootKey);
  const network = new SandboxNetwork({ authority, logger, modules: sandboxFeatures, historyMappings: options.historyMappings });

  const media = await startMediaHost({ host, port: options.mediaPort ?? 0 });
  network.mediaHost = `${host}:${media.port}`;

  const httpServer = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket endpoint: /ws/chat');
  });
  const wss = new WebSocketServer({ server: httpServer, path: '/ws/chat', maxPayload: 16 * 1024 * 1024 });
  network.attachServer(wss);
  await new Promise<void>((resolve) => httpServer.listen({ port: options.port ?? 0, host, backlog: LISTEN_BACKLOG }, resolve));
  const wsPort = (httpServer.address() as AddressInfo).port;

  const control = await buildControlApi(network, { media });
  await control.listen({ port: options.controlPort ?? 0, host, backlog: LISTEN_BACKLOG });
  const controlPort = (control.server.address() as AddressInfo).port;

  return {
    network,
    wsUrl: `ws://${host}:${wsPort}/ws/chat`,
    controlUrl: `http://${host}:${controlPort}`,
    mediaUrl: `https://${host}:${media.port}`,
    rootPublicKey: authority.root.public.toString('hex'),
    mediaCaPem: media.certificatePem,
    async stop() {
      network.dropAll();
      await control.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await media.close();
    }
  };
}

export type { MediaHost };
export { SandboxNetwork };
