// Every gateway setting in one typed place: the settings table (env var, CLI flag, default, description, parser),
// `loadConfig(env, argv)` that applies flags over env over defaults and reports every problem at once, and the
// table as data so the README and config docs are generated from (and tested against) the same source. The value
// parsers are in config-values.ts.
import { SettingProblem, boolean, byteSize, countryCode, directoryList, hexKey, integer, nodeName, oneOf, secretKey, text, url } from './config-values.js';

export type NetworkMode = 'whatsapp' | 'sandbox';
export type MessageRetention = 'full' | 'keys' | 'none';
export type AllocatorChoice = 'auto' | 'jemalloc' | 'glibc';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  listenBacklog: number;
  dataDir: string;
  databaseUrl: string | undefined;
  sqliteCacheMib: number;
  adminKey: string | undefined;
  network: NetworkMode;
  waWsUrl: string | undefined;
  waTrustRoot: string | undefined;
  waMediaCaFile: string | undefined;
  webhookAllowPrivate: boolean;
  webhookTimeoutMs: number;
  webhookRetryHours: number;
  webhookMaxAttempts: number | undefined;
  webhookBackoffBaseMs: number;
  webhookBackoffMaxMs: number;
  nodeId: string | undefined;
  inviteMinIntervalSeconds: number;
  bodyLimitBytes: number;
  mediaBodyLimitBytes: number;
  sendTimeoutMs: number;
  sendQueueTtlSeconds: number;
  sendIntervalMs: number;
  sendJitterMs: number;
  maxRecipients: number;
  maxCheckNumbers: number;
  mediaMaxBytes: number;
  mediaFetchTimeoutMs: number;
  mediaLocalDirs: string[];
  mediaAutoDownloadBytes: number;
  mediaUrlTtlSeconds: number;
  publicUrl: string | undefined;
  messageRetention: MessageRetention;
  messageRetentionDays: number;
  historyDays: number;
  historyMessagesPerChat: number;
  logLevel: LogLevel;
  allocator: AllocatorChoice;
  resumeConcurrency: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  defaultCountryCode: string | undefined;
  trustProxy: boolean;
  metricsPublic: boolean;
  dashboard: boolean;
  cpuSampleIntervalMs: number;
  cpuHistorySize: number;
}

interface SettingSpec<T> {
  env: string;
  /** `--name` takes a value; with `value` set it is a switch that means that value. */
  flag?: { name: string; value?: string };
  /** Raw default, parsed like an env value; undefined leaves the setting unset. */
  default?: string;
  /** What an unset setting means (documentation for settings without a default). */
  whenUnset?: string;
  description: string;
  /** `full` hides the value in logs and docs; `url-password` hides only a URL's password. */
  secret?: 'full' | 'url-password';
  parse: (raw: string) => T;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SPECS: { [K in keyof Config]-?: SettingSpec<Config[K]> } = {
  port: {
    env: 'PORT', flag: { name: '--port' }, default: '7308', description: 'HTTP port to listen on (0 picks a free port; the "listening" log line says which).', parse: integer(0, 65535),
  },
  host: { env: 'HOST', flag: { name: '--host' }, default: '0.0.0.0', description: 'Interface to listen on.', parse: text },
  listenBacklog: {
    env: 'WAYGATE_LISTEN_BACKLOG', default: '4096',
    description: 'Connections the kernel may hold waiting to be accepted (the listen backlog; Linux caps it at net.core.somaxconn). Node\'s default of 511 overflows when a thousand clients connect at once while the gateway is busy, and each overflowed connection waits seconds for its SYN to be retried.',
    parse: integer(1, 65535),
  },
  dataDir: {
    env: 'WAYGATE_DATA_DIR', flag: { name: '--data-dir' }, default: './data',
    description: 'Directory for the SQLite database and other local state.', parse: text,
  },
  databaseUrl: {
    env: 'DATABASE_URL', whenUnset: 'SQLite file in WAYGATE_DATA_DIR', secret: 'url-password',
    description: 'PostgreSQL connection URL; needed to run several gateway nodes on one database.',
    parse: url('postgres://', 'postgresql://'),
  },
  sqliteCacheMib: {
    env: 'WAYGATE_SQLITE_CACHE_MB', default: '16',
    description: 'SQLite\'s page cache in MiB (one for the gateway, not per session): database pages kept in memory, filled as the database grows. Smaller saves that much RSS and reads more pages from the OS\'s file cache.',
    parse: integer(1, 4096),
  },
  adminKey: {
    env: 'WAYGATE_ADMIN_KEY', whenUnset: 'generated and stored on first start', secret: 'full',
    description: 'The admin API key (server routes, every session).', parse: secretKey,
  },
  network: {
    env: 'WAYGATE_NETWORK', flag: { name: '--sandbox', value: 'sandbox' }, default: 'whatsapp',
    description: 'Which network sessions connect to: the real WhatsApp or the local sandbox.',
    parse: oneOf<NetworkMode>('whatsapp', 'sandbox'),
  },
  waWsUrl: {
    env: 'WA_WS_URL', whenUnset: 'the embedded sandbox (sandbox mode) or WhatsApp itself',
    description: 'WebSocket URL of an external sandbox network.', parse: url('ws://', 'wss://'),
  },
  waTrustRoot: {
    env: 'WA_TRUST_ROOT', whenUnset: 'required with WA_WS_URL',
    description: 'Hex root public key the external sandbox signs its certificate chain with.', parse: hexKey,
  },
  waMediaCaFile: {
    env: 'WA_MEDIA_CA_FILE', whenUnset: 'media hosts must present publicly trusted certificates',
    description: 'PEM file with the CA certificate of an external sandbox\'s media host (the embedded sandbox is trusted by itself).', parse: text,
  },
  webhookAllowPrivate: {
    env: 'WAYGATE_WEBHOOK_ALLOW_PRIVATE', default: 'false',
    description: 'Allow webhook URLs that resolve to private, loopback or link-local addresses.', parse: boolean,
  },
  webhookTimeoutMs: {
    env: 'WAYGATE_WEBHOOK_TIMEOUT_MS', default: '10000', description: 'Timeout of one webhook delivery attempt.',
    parse: integer(100, 300_000),
  },
  webhookRetryHours: {
    env: 'WAYGATE_WEBHOOK_RETRY_HOURS', default: '24',
    description: 'How long a webhook delivery is retried, counted from its first attempt; a delivery still failing after that is dead (0: no retries).',
    parse: integer(0, 720),
  },
  webhookMaxAttempts: {
    env: 'WAYGATE_WEBHOOK_MAX_ATTEMPTS', whenUnset: 'no cap: WAYGATE_WEBHOOK_RETRY_HOURS decides',
    description: 'Cap on delivery attempts per webhook event (first try included); reaching it makes the delivery dead even inside the retry window.',
    parse: integer(1, 100_000),
  },
  webhookBackoffBaseMs: {
    env: 'WAYGATE_WEBHOOK_BACKOFF_BASE_MS', default: '1000',
    description: 'Wait before the first webhook retry; doubles per retry, each wait randomly between half and all of it.',
    parse: integer(10, 3_600_000),
  },
  webhookBackoffMaxMs: {
    env: 'WAYGATE_WEBHOOK_BACKOFF_MAX_MS', default: '900000',
    description: 'Upper bound of the wait between webhook retries; a receiver\'s Retry-After is honoured up to it.',
    parse: integer(10, 86_400_000),
  },
  nodeId: {
    env: 'WAYGATE_NODE_ID', whenUnset: 'the host name',
    description: 'Names this gateway node in the webhook deliveries it has in flight, so on restart it releases its own at once; give every node sharing a database its own id.',
    parse: nodeName,
  },
  inviteMinIntervalSeconds: {
    env: 'WAYGATE_INVITE_MIN_INTERVAL', default: '60',
    description: 'Seconds that must pass between two invite-link revocations of the same group (0 disables).',
    parse: integer(0, 86_400),
  },
  bodyLimitBytes: {
    env: 'WAYGATE_BODY_LIMIT', default: '2mb', description: 'Largest accepted request body.', parse: byteSize,
  },
  mediaBodyLimitBytes: {
    env: 'WAYGATE_MEDIA_BODY_LIMIT', default: '64mb',
    description: 'Largest accepted body on the /messages/send/* routes (inline media).', parse: byteSize,
  },
  sendTimeoutMs: {
    env: 'WAYGATE_SEND_TIMEOUT_MS', default: '15000',
    description: 'How long a send request waits for WhatsApp\'s server ack before answering 202 queued (the message is still sent), and at most for WhatsApp to say whether a recipient is on WhatsApp (else 504, nothing sent).',
    parse: integer(100, 600_000),
  },
  sendQueueTtlSeconds: {
    env: 'WAYGATE_SEND_QUEUE_TTL', default: '86400',
    description: 'Seconds an accepted send may wait (for its session to be WORKING, or for retries) before it fails with a message_status failed event.',
    parse: integer(1, 2_592_000),
  },
  sendIntervalMs: {
    env: 'WAYGATE_SEND_INTERVAL_MS', default: '0',
    description: 'Minimum pause between two sends of one session (pacing against bans for bursts); a session\'s config overrides it.',
    parse: integer(0, 600_000),
  },
  sendJitterMs: {
    env: 'WAYGATE_SEND_JITTER_MS', default: '0',
    description: 'Random extra pause, 0 to this many ms, added to WAYGATE_SEND_INTERVAL_MS; a session\'s config overrides it.',
    parse: integer(0, 600_000),
  },
  maxRecipients: {
    env: 'WAYGATE_MAX_RECIPIENTS', default: '100',
    description: 'Most recipients one send request may name.', parse: integer(1, 10_000),
  },
  maxCheckNumbers: {
    env: 'WAYGATE_MAX_CHECK_NUMBERS', default: '500',
    description: 'Most numbers one Check On WhatsApp or Get Business Profile request may name (checkNumbers); more is refused with 400.', parse: integer(1, 10_000),
  },
  mediaMaxBytes: {
    env: 'WAYGATE_MEDIA_MAX_BYTES', default: '64mb',
    description: 'Largest media file a send accepts (downloaded, inline or local); larger is refused with 413.', parse: byteSize,
  },
  mediaFetchTimeoutMs: {
    env: 'WAYGATE_MEDIA_FETCH_TIMEOUT_MS', default: '30000',
    description: 'Deadline for downloading a media URL given to a send.', parse: integer(100, 600_000),
  },
  mediaLocalDirs: {
    env: 'WAYGATE_MEDIA_LOCAL_DIRS', default: '', whenUnset: 'server file paths are refused',
    description: 'Comma-separated absolute directories whose files sends may name by path (WARest reads any path; we refuse all others).',
    parse: (raw) => (raw === '' ? [] : directoryList(raw)),
  },
  mediaAutoDownloadBytes: {
    env: 'WAYGATE_MEDIA_AUTO_DOWNLOAD', default: '16mb',
    description: 'Received media up to this size is downloaded and stored at once; larger files are fetched on first request (0: never in advance).',
    parse: (raw) => (raw === '0' ? 0 : byteSize(raw)),
  },
  mediaUrlTtlSeconds: {
    env: 'WAYGATE_MEDIA_URL_TTL', default: '3600',
    description: 'Lifetime of the signed media links in webhook payloads.', parse: integer(10, 604_800),
  },
  publicUrl: {
    env: 'WAYGATE_PUBLIC_URL', whenUnset: 'the URL the gateway listens on',
    description: 'Base URL webhook receivers reach the gateway at, used in signed media links.', parse: url('http://', 'https://'),
  },
  messageRetention: {
    env: 'WAYGATE_MESSAGE_RETENTION', default: 'full',
    description: 'What the message store keeps: full (content and status), keys (ids, chats and status, no content), none (nothing beyond the send queue).',
    parse: oneOf<MessageRetention>('full', 'keys', 'none'),
  },
  messageRetentionDays: {
    env: 'WAYGATE_MESSAGE_RETENTION_DAYS', default: '90',
    description: 'Stored messages older than this many days are deleted (0: kept forever).', parse: integer(0, 36_500),
  },
  historyDays: {
    env: 'WAYGATE_HISTORY_DAYS', default: '30',
    description: 'Messages of the history sync a newly linked session gets are stored back to this many days (0: none; chats and contacts always are).', parse: integer(0, 36_500),
  },
  historyMessagesPerChat: {
    env: 'WAYGATE_HISTORY_MESSAGES_PER_CHAT', default: '100',
    description: 'At most this many history-sync messages are stored per chat, the newest (0: none).', parse: integer(0, 100_000),
  },
  logLevel: {
    env: 'LOG_LEVEL', flag: { name: '--log-level' }, default: 'info', description: 'Log level.',
    parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  allocator: {
    env: 'WAYGATE_ALLOCATOR', default: 'auto',
    description: 'The malloc bin/waygate (npm start) runs the gateway on: auto preloads jemalloc when libjemalloc.so.2 is installed and else uses glibc\'s with two arenas, jemalloc refuses to start without it, glibc never preloads it. A gateway started otherwise warns when jemalloc was asked for and is not in use.',
    parse: oneOf<AllocatorChoice>('auto', 'jemalloc', 'glibc'),
  },
  resumeConcurrency: {
    env: 'WAYGATE_RESUME_CONCURRENCY', default: '16',
    description: 'Sessions logging in at once when the gateway resumes them on boot; the next starts as soon as one is connected (or shows a QR, or fails).',
    parse: integer(1, 1000),
  },
  reconnectBaseMs: {
    env: 'WAYGATE_RECONNECT_BASE_MS', default: '1000',
    description: 'First reconnect delay; doubles per attempt, with jitter.',
    parse: integer(100, 600_000),
  },
  reconnectMaxMs: {
    env: 'WAYGATE_RECONNECT_MAX_MS', default: '60000', description: 'Upper bound of the reconnect delay.',
    parse: integer(100, 3_600_000),
  },
  defaultCountryCode: {
    env: 'WAYGATE_DEFAULT_COUNTRY_CODE', whenUnset: 'numbers starting with 0 are rejected',
    description: 'Country code that replaces the leading 0 of a national phone number.', parse: countryCode,
  },
  trustProxy: {
    env: 'WAYGATE_TRUST_PROXY', default: 'false',
    description: 'Trust X-Forwarded-* headers (set when behind a reverse proxy).', parse: boolean,
  },
  metricsPublic: {
    env: 'WAYGATE_METRICS_PUBLIC', default: 'false',
    description: 'Serve /metrics without the admin key.', parse: boolean,
  },
  dashboard: {
    env: 'WAYGATE_DASHBOARD', default: 'true',
    description: 'Serve the web dashboard at / (false: the gateway serves the API only).', parse: boolean,
  },
  cpuSampleIntervalMs: {
    env: 'WAYGATE_CPU_SAMPLE_INTERVAL_MS', default: '5000',
    description: 'How often /server/cpu-history samples the process.',
    parse: integer(10, 3_600_000),
  },
  cpuHistorySize: {
    env: 'WAYGATE_CPU_HISTORY_SIZE', default: '720', description: 'Samples kept by /server/cpu-history.',
    parse: integer(1, 100_000),
  },
};

const KEYS = Object.keys(SPECS) as (keyof Config)[];

export interface ConfigTableRow {
  name: keyof Config;
  env: string;
  flag: string | undefined;
  default: string | undefined;
  whenUnset: string | undefined;
  description: string;
}

/** The settings as documentation data, in declaration order. */
export const CONFIG_TABLE: readonly ConfigTableRow[] = KEYS.map((name) => {
  const spec: SettingSpec<unknown> = SPECS[name];
  return {
    name,
    env: spec.env,
    flag: spec.flag?.name,
    default: spec.default,
    whenUnset: spec.whenUnset,
    description: spec.description,
  };
});

function readFlags(argv: readonly string[], problems: string[]): Map<keyof Config, string> {
  const byFlag = new Map(KEYS.flatMap((key) => (SPECS[key].flag ? [[SPECS[key].flag!.name, key] as const] : [])));
  const values = new Map<keyof Config, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const equals = arg.indexOf('=');
    const [name, inline] = equals < 0 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
    const key = byFlag.get(name);
    if (!key) {
      problems.push(`unknown flag ${name} (known: ${[...byFlag.keys()].join(', ')})`);
      continue;
    }
    const fixed = SPECS[key].flag!.value;
    if (fixed !== undefined) {
      if (inline !== undefined) problems.push(`${name} takes no value`);
      values.set(key, fixed);
    } else if (inline !== undefined) {
      values.set(key, inline);
    } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
      values.set(key, argv[++i]!);
    } else {
      problems.push(`${name} needs a value`);
    }
  }
  return values;
}

function crossCheck(config: Config, problems: string[]): void {
  if (config.reconnectMaxMs < config.reconnectBaseMs) {
    problems.push('WAYGATE_RECONNECT_MAX_MS must be at least WAYGATE_RECONNECT_BASE_MS');
  }
  if (config.webhookBackoffMaxMs < config.webhookBackoffBaseMs) {
    problems.push('WAYGATE_WEBHOOK_BACKOFF_MAX_MS must be at least WAYGATE_WEBHOOK_BACKOFF_BASE_MS');
  }
  if (config.waWsUrl && config.network !== 'sandbox') {
    problems.push(
      'WA_WS_URL points the engine at an external sandbox: also set WAYGATE_NETWORK=sandbox (or --sandbox), ' +
        'or unset WA_WS_URL',
    );
  }
  if (config.waWsUrl && !config.waTrustRoot) {
    problems.push(
      'WA_WS_URL needs WA_TRUST_ROOT, the root public key of that sandbox, so its certificate chain can be verified',
    );
  }
  if (config.waTrustRoot && !config.waWsUrl) {
    problems.push('WA_TRUST_ROOT only applies to an external sandbox: set WA_WS_URL too, or unset WA_TRUST_ROOT');
  }
}

/**
 * Build the configuration: CLI flags over env vars over defaults. Empty env values count as unset. Positional
 * arguments are ignored (the CLI command is the caller's business); unknown `--flags` are errors.
 * @throws ConfigError listing every problem found.
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[] = []): Config {
  const problems: string[] = [];
  const flags = readFlags(argv, problems);
  const entries = KEYS.map((key) => {
    const spec: SettingSpec<unknown> = SPECS[key];
    const fromFlag = flags.get(key);
    const raw = fromFlag ?? (env[spec.env]?.trim() || undefined) ?? spec.default;
    if (raw === undefined) return [key, undefined];
    try {
      return [key, spec.parse(raw)];
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      const source = fromFlag !== undefined ? spec.flag!.name : spec.env;
      const shown = spec.secret ? '' : ` (got "${raw}")`;
      problems.push(`${source} ${error.message}${shown}`);
      return [key, undefined];
    }
  });
  const config = Object.fromEntries(entries) as Config;
  if (problems.length === 0) crossCheck(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function databaseDialect(config: Pick<Config, 'databaseUrl'>): 'sqlite' | 'postgres' {
  return config.databaseUrl ? 'postgres' : 'sqlite';
}

/** The configuration with secrets masked, for the startup log line. */
export function redactConfig(config: Config): Record<keyof Config, unknown> {
  const entries = KEYS.map((key) => {
    const value = config[key];
    const secret = SPECS[key].secret;
    if (value === undefined || !secret) return [key, value];
    if (secret === 'full') return [key, '[redacted]'];
    const parsed = new URL(String(value));
    if (parsed.password) parsed.password = 'redacted';
    return [key, parsed.toString()];
  });
  return Object.fromEntries(entries) as Record<keyof Config, unknown>;
}
