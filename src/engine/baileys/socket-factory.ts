// Building one Baileys socket for a connection attempt, and ending one: where to connect and whom to trust, timeouts, and the
// hooks Baileys calls back into (group metadata cache, stored messages for retries), its caches (socket-caches.ts). No network helpers
// (version fetch, link previews) run: the bundled WhatsApp Web version is used and link previews are off.
import type { Agent as HttpsAgent } from 'node:https';
import { makeWASocket, WA_CERT_DETAILS, type GroupMetadata, type WASocket } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { EngineLogger, EngineNetwork } from '../port.js';
import type { EngineOptions } from '../options.js';
import type { SessionAuth } from './auth-state.js';
import type { BoundedMap } from '../../lib/bounded-map.js';
import type { MessageLookup } from './message-lookup.js';
import { createSocketCaches } from './socket-caches.js';
import { withKeyedAsyncLocalStorage } from '../../lib/keyed-async-local-storage.js';

export interface SocketDeps {
  auth: SessionAuth;
  network: EngineNetwork;
  options: EngineOptions;
  logger: EngineLogger;
  /** full Baileys GroupMetadata (addressingMode included: without it Baileys assumes LID addressing) */
  groupMetadata: BoundedMap<string, GroupMetadata>;
  /** a sent message by key: WhatsApp may ask for one again (retry receipts) */
  findMessage: MessageLookup;
  /** trusts the media host's CA for uploads (sandbox); Baileys' default agent when undefined */
  uploadAgent: HttpsAgent | undefined;
  /** awaited before an inbound stanza is receipted or acknowledged (see durable-receipt.ts) */
  beforeAck: () => Promise<void>;
}

// A socket that does not finish its closing handshake must not hold up the next connection.
const SOCKET_END_TIMEOUT_MS = 5_000;

let trustedRootHex: string | undefined;

/**
 * Makes Baileys accept certificate chains signed by `rootHex` (a sandbox root). Baileys checks the chain against
 * the process-wide `WA_CERT_DETAILS.PUBLIC_KEY`, so all sessions of one process must agree on the network.
 */
function trustRoot(rootHex: string, logger: EngineLogger): void {
  if (!/^[0-9a-f]{64}$/i.test(rootHex)) throw new EngineInvalidArgumentError('network.trustRootHex', 'must be 32 bytes of hex');
  if (trustedRootHex && trustedRootHex !== rootHex.toLowerCase()) {
    logger.warn({ previous: trustedRootHex }, 'replacing the trusted WhatsApp root key for the whole process');
  }
  trustedRootHex = rootHex.toLowerCase();
  (WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = Buffer.from(rootHex, 'hex');
}

export function createSocket({ auth, network, options, logger, groupMetadata, findMessage, uploadAgent, beforeAck }: SocketDeps): WASocket {
  if (network.trustRootHex) trustRoot(network.trustRootHex, logger);
  // Each socket's key-transaction storage shares one real AsyncLocalStorage (see lib/keyed-async-local-storage.ts).
  return withKeyedAsyncLocalStorage(() => makeWASocket({
    ...(network.wsUrl ? { waWebSocketUrl: network.wsUrl } : {}),
    auth: auth.state,
    logger: logger.child({ component: 'baileys' }),
    connectTimeoutMs: options.connectTimeoutMs,
    keepAliveIntervalMs: options.keepAliveIntervalMs,
    defaultQueryTimeoutMs: options.queryTimeoutMs,
    ...(options.qrTimeoutMs ? { qrTimeout: options.qrTimeoutMs } : {}),
    markOnlineOnConnect: false,
    syncFullHistory: false,
    generateHighQualityLinkPreview: false,
    // A send's result is the command's return value; Baileys' echo of it as an upsert would report it twice.
    emitOwnEvents: false,
    cachedGroupMetadata: async (jid) => groupMetadata.get(jid),
    getMessage: findMessage,
    // Baileys' retry manager keeps the messages sent lately, to answer retry receipts, and upstream the ones received
    // too, which no retry receipt asks for (it only ever names a message this device sent): up to 32 per session
    // in a session that mostly receives, each encoded once more on arrival. recent-messages.ts keeps ours when the
    // store keeps no content; how many sends Baileys keeps follows the same setting (EngineOptions).
    keepReceivedMessages: false,
    recentMessagesLimit: options.sentRetryCacheLimit,
    ...(uploadAgent ? { fetchAgent: uploadAgent } : {}),
    ...createSocketCaches(),
    beforeAck
  }));
}

/** Closes a socket (Baileys' `end`), waiting at most a few seconds for the closing handshake. Never throws. */
export async function endSocket(sock: WASocket, logger: EngineLogger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([sock.end(undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, SOCKET_END_TIMEOUT_MS)))]);
  } catch (error) {
    logger.debug({ err: error }, 'error while closing a WhatsApp socket');
  } finally {
    clearTimeout(timer);
  }
}
