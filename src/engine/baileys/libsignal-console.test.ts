// libsignal writes to the console when it closes, reopens or drops a Signal session (a contact's new pre-key
// message replaces an open session: routine). Node stopped honouring the `inspect()` it gave sessions, so those
// lines printed the whole session, root and chain keys and our ephemeral private key, into the gateway's logs.
// The patch ([no-keys-in-logs] in patches/libsignal+…) makes them show the base key (a public key) only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { mock, test } from 'node:test';

interface Entry {
  indexInfo: Record<string, unknown>;
  currentRatchet: Record<string, unknown>;
  registrationId: number;
}
interface LibsignalRecords {
  SessionRecord: {
    new (): { setSession(entry: Entry): void; closeSession(entry: Entry): void; openSession(entry: Entry): void; removeOldSessions(): void };
    createEntry(): Entry;
  };
}
const { SessionRecord } = createRequire(import.meta.url)('libsignal') as LibsignalRecords;

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

test("libsignal's console lines about sessions name the base key, never the session's keys", () => {
  const printed: string[] = [];
  const capture = (...args: unknown[]) => void printed.push(format(...args));
  const info = mock.method(console, 'info', capture);
  const warn = mock.method(console, 'warn', capture);
  const sessions = Array.from({ length: 42 }, sessionWithKeys);
  try {
    const record = new SessionRecord();
    for (const { entry } of sessions) {
      record.setSession(entry);
      record.closeSession(entry);
    }
    record.closeSession(sessions[0]!.entry); // already closed: warns with the session
    record.openSession(sessions[41]!.entry);
    record.removeOldSessions(); // over 40 sessions: drops the oldest closed ones, naming each
  } finally {
    info.mock.restore();
    warn.mock.restore();
  }
  const output = printed.join('\n');
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
