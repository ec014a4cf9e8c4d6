// CLI entry: `waygate start [--sandbox]`. Loads the configuration, starts an embedded sandbox network when
// asked, runs the gateway, and restarts it gracefully in-process when the restart route asks (sessions are
// closed cleanly and resumed; the embedded sandbox keeps running across such restarts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { gatewayLogger, startGateway, type RunningGateway } from './gateway.js';
import type { EngineNetwork } from './engine/port.js';
import type { RestartRequest } from './http/types.js';

const [command = 'start', ...rest] = process.argv.slice(2);
if (command !== 'start') {
  console.error(`unknown command "${command}"; usage: waygate start [--sandbox] [--port N] [--data-dir DIR]`);
  process.exit(2);
}

let config;
try {
  config = loadConfig(process.env, rest);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(2);
}
const logger = gatewayLogger(config);

process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection (ignored, the gateway keeps running)'));
process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (ignored, the gateway keeps running)'));

let network: EngineNetwork = {};
const extras: Record<string, unknown> = {};
let stopSandbox: (() => Promise<void>) | undefined;
if (config.network === 'sandbox' && config.waWsUrl) {
  network = { wsUrl: config.waWsUrl, trustRootHex: config.waTrustRoot, ...(config.waMediaCaFile ? { mediaCaPem: readFileSync(config.waMediaCaFile, 'utf8') } : {}) };
} else if (config.network === 'sandbox') {
  const { startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox({ logger: logger.child({ component: 'sandbox' }) });
  network = { wsUrl: sandbox.wsUrl, trustRootHex: sandbox.rootPublicKey, mediaCaPem: sandbox.mediaCaPem };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(join(config.dataDir, 'sandbox-media-ca.pem'), sandbox.mediaCaPem);
  Object.assign(extras, { sandboxControlUrl: sandbox.controlUrl, sandboxWsUrl: sandbox.wsUrl });
  stopSandbox = () => sandbox.stop();
}

let restartRequested: ((request: RestartRequest) => void) | undefined;
let shuttingDown = false;
let gateway: RunningGateway | undefined;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  await gateway?.stop();
  await stopSandbox?.();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

for (;;) {
  const restart = new Promise<RestartRequest>((resolve) => (restartRequested = resolve));
  gateway = await startGateway({
    config,
    network,
    logger,
    printQr: config.network === 'sandbox',
    listeningExtras: extras,
    onRestartRequested: (request) => restartRequested?.(request)
  });
  const request = await restart;
  if (shuttingDown) break;
  await new Promise((resolve) => setTimeout(resolve, request.delaySeconds * 1000));
  logger.info({ reason: request.reason }, 'restarting');
  await gateway.stop();
}

