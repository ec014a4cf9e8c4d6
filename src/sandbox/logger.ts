// Loggers for the sandbox: pino for its own lines, a silent one for the Baileys internals it reuses.
import pino from 'pino';

export const silentLogger = pino({ level: 'silent' });

export function sandboxLogger(level = process.env.SANDBOX_LOG_LEVEL ?? 'warn') {
  return pino({ level, base: { component: 'sandbox' } });
}
export type SandboxLogger = pino.Logger;
