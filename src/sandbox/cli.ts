// `npm run sandbox`: runs a standalone sandbox network and prints one JSON line with its endpoints and the
// root key clients must trust. Flags: --port, --control-port, --media-port, --host (0 = ephemeral).
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';
import { sandboxLogger } from './logger.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    'media-port': { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'log-level': { type: 'string', default: process.env.SANDBOX_LOG_LEVEL ?? 'info' },
    'history-mappings': { type: 'string', default: 'known' }
  }
});

function port(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`--${name} must be a port number from 0 to 65535 (0 picks a free one), got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const historyMappings = values['history-mappings'];
if (historyMappings !== 'all' && historyMappings !== 'known') {
  console.error(`--history-mappings must be "all" (every account in everyone's address book) or "known" (contacts only), got "${historyMappings}"`);
  process.exit(2);
}
const logger = sandboxLogger(values['log-level']);
const sandbox = await startSandbox({
  host: values.host,
  port: port('port', values.port),
  controlPort: port('control-port', values['control-port']),
  mediaPort: port('media-port', values['media-port']),
  historyMappings,
  logger
});
process.stdout.write(
  `${JSON.stringify({
    msg: 'sandbox listening',
    wsUrl: sandbox.wsUrl,
    controlUrl: sandbox.controlUrl,
    mediaUrl: sandbox.mediaUrl,
    rootPublicKey: sandbox.rootPublicKey,
    mediaCaPem: sandbox.mediaCaPem
  })}\n`
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.stop();
    process.exit(0);
  });
}
