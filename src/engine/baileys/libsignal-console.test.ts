// libsignal writes to the console when it closes, reopens or drops a Signal session (a contact's new pre-key
// message replaces an open session: routine). Node stopped honouring the `inspect()` it gave sessions, so those
// lines printed the whole session, root and chain keys and our ephemeral private key, into the gateway's logs.
// The patch ([no-keys-in-logs] in patches/libsignal+…) makes them show the base key (a public key) only, and
// ([quiet-console]) lets the gateway take those lines into its own log instead of the console.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { mock, test } from 'node:test';
import type { EngineLogger } from '../port.js';
import { routeLibsignalDiagnostics } from './libsignal-diagnostics.js';

interface Entry {
  indexInfo: Record<string, unknown>;
  currentRatchet: Record<string, unknown>;
  registrationId: number;
}
interface LibsignalRecords {
  setDiagnosticsSink(sink: Console): void;
  curve: { generateKeyPair(): { privKey: Buffer }; calculateAgreement(publicKey: Buffer, privateKey: Buffer): Buffer };
  SessionRecord: {
    new (): { setSession(entry: Entry): void; closeSession(entry: Entry): void; openSession(entry: Entry): void; removeOldSessions(): void };
    createEntry(): Entry;
  };
}
const { SessionRecord, curve, setDiagnosticsSink } = createRequire(import.meta.url)('libsignal') as LibsignalRecords;

function sessionWithKeys(): { entry: Entry; secrets: Buffer[]; baseKey: Buffer } {
  const baseKey = randomBytes(33);
  const secrets = [randomBytes(32), randomBytes(32), randomBytes(32)];
  const entry = SessionRecord.createEntry();
  entry.indexInfo = { baseKey, baseKeyType: 2, closed: -1, used: Date.now(), created: Date.now(), remoteIdentityKey: randomBytes(33) };
  entry.currentRatchet = { rootKey: secrets[0], ephemeralKeyPair: { privKey: secrets[1], pubKey: randomBytes(33) }, lastRemoteEphemeralKey: randomBytes(33), previousCounter: 0 };
  Object.assign(entry, { _chains: { [randomBytes(33).toString('base64')]: { chainKey: { counter: 0, key: secrets[2] }, chainType: 1, messageKeys: {} } } });
  entry.registrationId = 1;
  return { entry, secrets, baseKey };
}

/** Closes 42 sessions (one twice), opens one and lets libsignal drop the oldest: each is a line it writes. */
function churnSessions(sessions: ReturnType<typeof sessionWithKeys>[]): void {
  const record = new SessionRecord();
  for (const { entry } of sessions) {
    record.setSession(entry);
    record.closeSession(entry);
  }
  record.closeSession(sessions[0]!.entry); // already closed: warns with the session
  record.openSession(sessions[41]!.entry);
  record.removeOldSessions(); // over 40 sessions: drops the oldest closed ones, naming each
}

function captureConsole(): { printed: string[]; restore(): void } {
  const printed: string[] = [];
  const capture = (...args: unknown[]) => void printed.push(format(...args));
  const mocks = (['info', 'warn', 'error'] as const).map((level) => mock.method(console, level, capture));
  return { printed, restore: () => mocks.forEach((m) => m.mock.restore()) };
}

test("libsignal's console lines about sessions name the base key, never the session's keys", () => {
  const sessions = Array.from({ length: 42 }, sessionWithKeys);
  const consoleLines = captureConsole();
  try {
    churnSessions(sessions);
  } finally {
    consoleLines.restore();
  }
  const output = consoleLines.printed.join('\n');
  assert.match(output, /Closing session: <SessionEntry \[baseKey=/);
  assert.match(output, /Removing old closed session: <SessionEntry \[baseKey=/);
  assert.ok(output.includes(sessions[0]!.baseKey.toString('base64')), 'the base key names the session');
  for (const { secrets } of sessions) {
    for (const secret of secrets) {
      const spacedHex = secret.toString('hex').match(/../g)!.join(' ');
      assert.ok(!output.includes(spacedHex.slice(0, 47)) && !output.includes(secret.toString('base64')), 'a session key reached the console');
    }
  }
  assert.doesNotMatch(output, /rootKey|privKey|chainKey|<Buffer/);
});

test("routed to the gateway's logger, libsignal prints nothing: its lines arrive at debug, its errors at warn", () => {
  const logged: { level: string; msg: string }[] = [];
  const record = (level: string) => (_obj: unknown, msg?: string) => void logged.push({ level, msg: msg ?? '' });
  const logger: EngineLogger = {
    level: 'debug',
    child: () => logger,
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error')
  };
  const sessions = Array.from({ length: 42 }, sessionWithKeys);
  const consoleLines = captureConsole();
  try {
    routeLibsignalDiagnostics(logger);
    churnSessions(sessions);
    curve.calculateAgreement(randomBytes(32), curve.generateKeyPair().privKey); // a 32-byte public key: libsignal's "error"
  } finally {
    setDiagnosticsSink(console);
    consoleLines.restore();
  }
  assert.deepEqual(consoleLines.printed, []);
  const debug = logged.filter((l) => l.level === 'debug').map((l) => l.msg);
  assert.ok(debug.some((msg) => msg.startsWith('Closing session: <SessionEntry [baseKey=')));
  assert.ok(debug.some((msg) => msg.startsWith('Removing old closed session: <SessionEntry [baseKey=')));
  assert.ok(debug.some((msg) => msg.startsWith('Session already closed <SessionEntry [baseKey=')));
  assert.deepEqual(logged.filter((l) => l.level === 'warn').map((l) => l.msg), ['WARNING: Expected pubkey of length 33, please report the ST and client that generated the pubkey']);
  assert.doesNotMatch(debug.join('\n'), /rootKey|privKey|chainKey|<Buffer/);
});
