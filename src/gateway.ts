// The composition root: opens the store, makes sure an admin key exists, wires sessions (engine + outbox),
// the webhook dispatcher and the HTTP app, then listens and resumes the sessions that were running.
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { redactConfig, type Config } from './config.js';
import { memoryAllocator } from './lib/memory-allocator.js';
import { ensureAdminKey } from './core/auth/admin-key.js';
import { storeAuthResolver } from './core/auth/resolver.js';
import { groupEventReducer } from './core/groups/group-events.js';
import { UserKeys } from './core/auth/user-keys.js';
import { Groups } from './core/groups/groups.js';
import { GroupMetadataCache } from './core/groups/metadata-cache.js';
import { MessageActions } from './core/messages/message-actions.js';
import { chatEventReducer } from './core/chats/chat-events.js';
import { Chats } from './core/chats/chats.js';
import { ContactList } from './core/chats/contact-list.js';
import { chatRoutes } from './http/routes/chats.js';
import { EventFeed } from './core/events/event-feed.js';
import { eventRoutes } from './http/routes/events.js';
import { SessionActivity } from './core/sessions/session-activity.js';
import { sessionActivityRoutes } from './http/routes/session-activity.js';
import { messageEventReducer } from './core/messages/message-events.js';
import { MessageRetention } from './core/messages/message-retention.js';
import { recentMessageBounds } from './core/messages/message-rows.js';
import { Misc } from './core/misc/misc.js';
import { actionPorts } from './core/webhook-actions/action-ports.js';
import { WebhookActions } from './core/webhook-actions/webhook-actions.js';
import { normalizeSingleRecipient } from './http/jids.js';
import { MessageSends } from './core/messages/message-sends.js';
import { OnWhatsAppCache } from './core/profile/on-whatsapp.js';
import { Profile } from './core/profile/profile.js';
import { SendQueue } from './core/messages/send-queue.js';
import { mediaPreparer } from './core/messages/media-drafts.js';
import { mediaDownloader } from './core/media-store/media-downloader.js';
import { MediaLibrary } from './core/media-store/media-library.js';
import { FileMediaStorage } from './core/media-store/storage.js';
import { mediaRoutes } from './http/routes/media.js';
import { InviteGovernance } from './core/invites/invite-governance.js';
import { SessionAccess } from './core/sessions/session-access.js';
import { SessionActions } from './core/sessions/session-actions.js';
import { qrTerminal } from './core/sessions/qr-image.js';
import { SessionManager } from './core/sessions/session-manager.js';
import type { Engine, EngineNetwork } from './engine/port.js';
import { WebhookDispatcher } from './events/dispatcher.js';
import { buildHttpApp } from './http/app.js';
import { registerGatewayMetrics } from './http/gateway-metrics.js';
import { groupRoutes } from './http/routes/groups.js';
import { inviteRoutes } from './http/routes/invites.js';
import { wawpInviteRoutes } from './http/routes/invites-wawp.js';
import { keyRoutes } from './http/routes/keys.js';
import { messageRoutes } from './http/routes/messages.js';
import { miscRoutes } from './http/routes/misc.js';
import { profileRoutes } from './http/routes/profile.js';
import { sessionRoutes } from './http/routes/sessions.js';
import type { RestartRequest } from './http/types.js';
import { openDatabase } from './store/open-database.js';
import { deleteSetting, getSetting, setSetting } from './store/repos/settings.js';
import { countUnsettledDeliveries } from './store/repos/webhook-deliveries.js';

export interface GatewayOptions {
  config: Config;
  network: EngineNetwork;
  logger: Logger;
  /** printed QR codes in the terminal (sandbox demo, dev mode) */
  printQr?: boolean;
  /** extra fields for the "listening" line (e.g. the embedded sandbox's control URL) */
  listeningExtras?: Record<string, unknown>;
  onRestartRequested(request: RestartRequest): void;
}

export interface RunningGateway {
  url: string;
  sessions: SessionManager;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const allocator = memoryAllocator();
  logger.info({ config: redactConfig(config), memoryAllocator: allocator }, 'starting');
  if (config.allocator === 'jemalloc' && allocator !== 'jemalloc') {
    logger.warn('WAYGATE_ALLOCATOR=jemalloc, but this process runs on the default malloc: start it with bin/waygate (npm start) or preload libjemalloc.so.2 yourself');
  }
  const store = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, sqliteCacheMib: config.sqliteCacheMib, logger });
  const { db } = store;

  const admin = await ensureAdminKey(db, config.adminKey);
  if (admin.generated) {
    // Shown once, on stdout only (never through the logger); only its hash is stored.
    process.stdout.write(`\n  Admin API key (shown only now, store it safely): ${admin.generated}\n\n`);
    logger.warn('generated an admin API key on first start; it was printed once above');
  }

  const metricsRegistry = new Registry();
  const metrics = registerGatewayMetrics(metricsRegistry, {
    sessionsByStatus: () => sessions.countByStatus(),
    webhookBacklog: () => countUnsettledDeliveries(db)
  });

  // Per-node state with one owner each: the session runtimes (the manager), the group metadata cache, and the
  // invite policies, which the invites translator arms for the sessions this node runs.
  const access = new SessionAccess(db, { runtime: (id) => sessions.runtime(id) });
  let listeningUrl = '';
  const mediaStorage = new FileMediaStorage(config.dataDir);
  const media = new MediaLibrary({
    db,
    storage: mediaStorage,
    sessions: access,
    baseUrl: () => config.publicUrl ?? listeningUrl,
    urlTtlSeconds: config.mediaUrlTtlSeconds,
    logger: logger.child({ component: 'media' })
  });
  const groupDeps = { access, metadataCache: new GroupMetadataCache() };
  const invites = new InviteGovernance({
    db,
    logger: logger.child({ component: 'invites' }),
    minIntervalSeconds: config.inviteMinIntervalSeconds,
    groups: groupDeps
  });
  const groups = new Groups({ ...groupDeps, pictures: { allowPrivate: config.webhookAllowPrivate } });
  const engineLogger = logger.child({ component: 'engine' });
  // Loaded with the first session: an idle gateway does not carry Baileys.
  let engine: Promise<Engine> | undefined;
  const sessions: SessionManager = new SessionManager({
    db,
    engine: () => (engine ??= import('./engine/baileys/index.js').then(({ createBaileysEngine }) => createBaileysEngine(engineLogger as never))),
    network: options.network,
    logger: engineLogger as never,
    engineOptions: { reconnectBaseMs: config.reconnectBaseMs, reconnectMaxMs: config.reconnectMaxMs, ...recentMessageBounds(config.messageRetention) },
    resumeConcurrency: config.resumeConcurrency,
    reducers: [
      messageEventReducer({
        retention: config.messageRetention,
        media: { record: (trx, file) => media.recordInbound(trx, file), payload: (file, id, trx) => media.payload(file, id, trx) }
      }),
      groupEventReducer,
      chatEventReducer({ history: { days: config.historyDays, messagesPerChat: config.historyMessagesPerChat }, retention: config.messageRetention })
    ],
    translators: [invites.translator, mediaDownloader(media, { autoDownloadBytes: config.mediaAutoDownloadBytes, logger: logger.child({ component: 'media' }) })],
    onStatus: (sessionId, status) => {
      metrics.sessionStatusChanged(status);
      // Sends accepted while the session was away go out once it is connected again.
      if (status === 'WORKING') sendQueue.kick(sessionId);
    },
    onQr: options.printQr
      ? (sessionId, qr) => void qrTerminal(qr).then((art) => process.stdout.write(`\nScan to link session "${sessionId}":\n${art}\n`))
      : undefined
  });

  const sendQueue: SendQueue = new SendQueue({
    db,
    workingEngine: (id) => {
      const runtime = sessions.runtime(id);
      return runtime?.lastChange.status === 'WORKING' ? runtime.engine : undefined;
    },
    readMedia: (id) => media.read(id),
    logger: logger.child({ component: 'send-queue' }),
    retention: config.messageRetention,
    pacing: { intervalMs: config.sendIntervalMs, jitterMs: config.sendJitterMs },
    // Half the TTL, between a second and a minute: an expired send fails at most that long after it expired.
    expirySweepMs: Math.min(60_000, Math.max(1_000, config.sendQueueTtlSeconds * 500))
  });
  // Which numbers are on WhatsApp: one cache for sends and Check On WhatsApp.
  const onWhatsApp = new OnWhatsAppCache();
  const messageSends = new MessageSends({
    db,
    access,
    queue: sendQueue,
    prepareMedia: mediaPreparer({
      library: media,
      load: { maxBytes: config.mediaMaxBytes, timeoutMs: config.mediaFetchTimeoutMs, allowPrivate: config.webhookAllowPrivate, localDirs: config.mediaLocalDirs }
    }),
    sendTimeoutMs: config.sendTimeoutMs,
    queueTtlSeconds: config.sendQueueTtlSeconds,
    maxRecipients: config.maxRecipients,
    retention: config.messageRetention,
    onWhatsApp
  });
  const profile = new Profile({ access, onWhatsApp, pictures: { allowPrivate: config.webhookAllowPrivate }, maxNumbers: config.maxCheckNumbers });
  const messageActions = new MessageActions({ db, access, metadataCache: groupDeps.metadataCache });
  const chats = new Chats({ db, access });
  const contactList = new ContactList({ db, access, metadataCache: groupDeps.metadataCache });
  const misc = new Misc({
    db,
    access,
    load: { maxBytes: config.mediaMaxBytes, timeoutMs: config.mediaFetchTimeoutMs, allowPrivate: config.webhookAllowPrivate, localDirs: config.mediaLocalDirs }
  });
  const webhookActions = new WebhookActions({
    db,
    ports: actionPorts({ sends: messageSends, actions: messageActions, access }),
    recipient: (raw) => normalizeSingleRecipient(raw, { defaultCountryCode: config.defaultCountryCode }),
    logger: logger.child({ component: 'webhook-actions' })
  });
  const messageRetention = new MessageRetention({ db, storage: mediaStorage, retentionDays: config.messageRetentionDays, logger });

  const dispatcher = new WebhookDispatcher({
    db,
    logger,
    nodeId: config.nodeId,
    timeoutMs: config.webhookTimeoutMs,
    retryWindowMs: config.webhookRetryHours * 3_600_000,
    maxAttempts: config.webhookMaxAttempts,
    backoffBaseMs: config.webhookBackoffBaseMs,
    backoffCapMs: config.webhookBackoffMaxMs,
    allowPrivate: config.webhookAllowPrivate,
    onAttempt: (state) => metrics.webhookAttempted(state),
    onReply: webhookActions.onReply
  });

  const auth = storeAuthResolver(db);
  const sessionActions = new SessionActions({ db, manager: sessions, access, allowPrivateWebhooks: config.webhookAllowPrivate, logger });
  const app = buildHttpApp({
    config,
    logger,
    auth,
    metricsRegistry,
    health: { databaseOk: () => store.ping(), sessionsRestored: () => sessions.sessionsRestored },
    server: {
      sessionsByState: async () => sessions.countByStatus(),
      restart: (request) => options.onRestartRequested(request),
      settings: {
        get: async (key) => (await getSetting(db, key)) ?? null,
        set: async (key, value) => void (value === null ? await deleteSetting(db, key) : await setSetting(db, key, value))
      }
    },
    registerRoutes: [
      { routes: sessionRoutes(sessionActions, webhookActions) },
      { routes: eventRoutes(new EventFeed({ db, access })) },
      { routes: sessionActivityRoutes(new SessionActivity({ db, access })) },
      { routes: keyRoutes(new UserKeys(db, () => auth.invalidate())) },
      { routes: mediaRoutes(media) },
      messageRoutes({ sends: messageSends, actions: messageActions, phones: { defaultCountryCode: config.defaultCountryCode }, mediaBodyLimitBytes: config.mediaBodyLimitBytes }),
      groupRoutes({ groups, invites, defaultCountryCode: config.defaultCountryCode }),
      chatRoutes({ chats, contacts: contactList, phones: { defaultCountryCode: config.defaultCountryCode } }),
      { routes: profileRoutes({ profile, phones: { defaultCountryCode: config.defaultCountryCode } }).routes },
      { routes: inviteRoutes(invites) },
      { prefix: '', routes: wawpInviteRoutes(invites) },
      miscRoutes({ misc, mediaBodyLimitBytes: config.mediaBodyLimitBytes })
    ]
  });

  dispatcher.start();
  messageRetention.start();
  sendQueue.start();
  await app.listen({ port: config.port, host: config.host, backlog: config.listenBacklog });
  const address = app.server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  listeningUrl = url;
  logger.info({ url, ...options.listeningExtras }, 'listening');
  void sessions.resumeAll().then((count) => logger.info({ count }, 'sessions resumed'));

  return {
    url,
    sessions,
    async stop() {
      await app.close();
      await webhookActions.stop();
      messageRetention.stop();
      await sendQueue.stop();
      await invites.stop();
      await sessions.closeAll();
      await dispatcher.stop();
      await store.close();
    }
  };
}

export function gatewayLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'waygate' } });
}
