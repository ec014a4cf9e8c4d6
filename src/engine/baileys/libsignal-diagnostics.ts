// libsignal's diagnostics ([quiet-console] in patches/libsignal+…) into the gateway's log. They are routine for a
// gateway: a contact's new pre-key message closes the open session, the phone's next message decrypts with the
// session just closed, old closed sessions are dropped; unpatched, each printed a line to the console (862 in one
// messaging benchmark at 1,000 sessions). Those go to debug; what libsignal calls an error goes to warn (Baileys
// logs the failed decryption that follows it, and answers it with a retry receipt).
import { createRequire } from 'node:module';
import { format } from 'node:util';
import type { EngineLogger } from '../port.js';

interface DiagnosticsSink {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const { setDiagnosticsSink } = createRequire(import.meta.url)('libsignal') as { setDiagnosticsSink(sink: DiagnosticsSink): void };

/** Sends libsignal's diagnostics to `logger`, for the whole process (libsignal has one sink). */
export function routeLibsignalDiagnostics(logger: EngineLogger): void {
  const to = (level: 'debug' | 'warn') => (...args: unknown[]) => logger[level]({}, format(...args));
  setDiagnosticsSink({ info: to('debug'), warn: to('debug'), error: to('warn') });
}
