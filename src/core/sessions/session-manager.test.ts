// SessionManager's resume on boot, through the engine port: a session whose auth state could not be read because
// the database did not answer is tried again once it answers (it was left FAILED until someone restarted it); any
// other failure is logged once and the resume goes on. (The read of which sessions to resume is covered end to end
// in test/e2e/database-outage.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Engine, EngineLogger } from '../../engine/port.js';
import type { Store } from '../../store/open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import { SessionManager } from './session-manager.js';

const silent: EngineLogger = { level: 'silent', child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** A linked session whose first starts fail with `startFailures`, as the engine does when it cannot load its auth state. */
class FlakyStartSession extends FakeEngineSession {
  starts = 0;
  constructor(sessionId: string, private readonly startFailures: Error[]) {
    super({ sessionId, status: 'STOPPED' });
  }

  override async start(): Promise<void> {
    this.starts++;
    const failure = this.startFailures.shift();
    if (!failure) return super.start();
    this.setStatus({ status: 'FAILED', reason: `could not load the auth state: ${failure.message}` });
    throw failure;
  }
}

const databaseDown = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: session manager resume`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(async () => {
      await store.close();
    });

    it('tries a session again when the database did not answer, and gives up on other failures after one try', async () => {
      const sessions = new Map([
        ['resume-flaky', new FlakyStartSession('resume-flaky', [databaseDown(), databaseDown()])],
        ['resume-broken', new FlakyStartSession('resume-broken', [new Error('the creds are not valid JSON')])]
      ]);
      for (const id of sessions.keys()) await seedSession(store.db, id, { shouldRun: true, status: 'WORKING' });
      const engine: Engine = { name: 'fake', createSession: (config) => sessions.get(config.sessionId)! };
      const manager = new SessionManager({ db: store.db, engine: async () => engine, network: {}, logger: silent, resumeConcurrency: 2 });

      // The pauses between tries do not hold the process open (a gateway's HTTP server does); this test must.
      const keepAlive = setInterval(() => {}, 1_000);
      try {
        assert.equal(await manager.resumeAll(), 2);
      } finally {
        clearInterval(keepAlive);
      }
      assert.equal(manager.sessionsRestored, true);
      assert.equal(sessions.get('resume-flaky')!.starts, 3, 'two tries while the database was down, then the one that worked');
      assert.equal(manager.runtime('resume-flaky')?.lastChange.status, 'WORKING');
      assert.equal(sessions.get('resume-broken')!.starts, 1);
      assert.equal(manager.runtime('resume-broken')?.lastChange.status, 'FAILED');
      await manager.closeAll();
    });
  });
}
