// The group metadata cache against the fake engine: hits, shared in-flight reads, patches from group_update,
// drops on participant changes and status changes, answers that raced with an event, and the TTL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAKE_ME, FakeEngineSession } from '../../engine/testing/fake-engine.js';
import { GroupMetadataCache } from './metadata-cache.js';

const GID = '120363000000000001@g.us';
const MEMBER = '15550000002@s.whatsapp.net';

/** A connected engine in one group; its metadata reads are counted, and the test edits the group's subject directly. */
function fakeEngine() {
  const engine = new FakeEngineSession();
  engine.addGroup({ id: GID, subject: 'Team', participants: [{ jid: FAKE_ME.id, lid: FAKE_ME.lid, admin: 'admin' }, { jid: MEMBER }] });
  /** what WhatsApp would answer from now on, without any notification */
  const setSubject = (subject: string) => void (engine.group(GID).subject = subject);
  return { engine, setSubject, reads: () => engine.calls('groups.metadata') };
}

describe('group metadata cache', () => {
  it('shares one read between concurrent callers and serves the next from memory', async () => {
    const { engine, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    const release = engine.hold('groups.metadata');
    const first = cache.get(GID);
    const second = cache.get(GID);
    release();
    assert.equal((await first).subject, 'Team');
    assert.equal(await second, await first);
    assert.equal((await cache.get(GID)).subject, 'Team');
    assert.equal(reads(), 1);
  });

  it('patches a cached entry from group_update and drops it on participant and status changes', async () => {
    const { engine, setSubject, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    await cache.get(GID);
    engine.notifyUpdate(GID, { subject: 'Renamed', announce: true, inviteCode: 'ignored' });
    const patched = await cache.get(GID);
    assert.deepEqual([patched.subject, patched.announce, 'inviteCode' in patched], ['Renamed', true, false]);
    assert.equal(reads(), 1);

    engine.notifyParticipants(GID, 'add', ['15550000003@s.whatsapp.net']);
    setSubject('After add');
    assert.equal((await cache.get(GID)).subject, 'After add');
    engine.setStatus({ status: 'RECONNECTING', attempt: 1, delayMs: 10, disconnect: { code: 428, reason: 'connection closed' } });
    engine.setStatus({ status: 'WORKING', me: FAKE_ME });
    setSubject('After reconnect');
    assert.equal((await cache.get(GID)).subject, 'After reconnect');
    assert.equal(reads(), 3);
  });

  it('does not keep an answer that raced with an event, nor a list that did', async () => {
    const { engine, setSubject, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    setSubject('Older');
    const release = engine.hold('groups.metadata');
    const stale = cache.get(GID);
    engine.notifyUpdate(GID, { subject: 'Newer' });
    release();
    assert.equal((await stale).subject, 'Older', 'the caller still gets its answer');
    assert.equal((await cache.get(GID)).subject, 'Newer');
    assert.equal(reads(), 2);

    const releaseList = engine.hold('groups.list');
    const listing = cache.list();
    engine.notifyParticipants(GID, 'remove', [MEMBER]);
    releaseList();
    await listing;
    setSubject('Read again');
    assert.equal((await cache.get(GID)).subject, 'Read again');
    assert.equal(reads(), 3);
  });

  it('reads again once an entry is older than the TTL; invalidate() forces it', async () => {
    const { engine, setSubject, reads } = fakeEngine();
    const cache = new GroupMetadataCache(20).for(engine);
    await cache.get(GID);
    await new Promise((resolve) => setTimeout(resolve, 30));
    setSubject('Fresh');
    assert.equal((await cache.get(GID)).subject, 'Fresh');
    cache.invalidate(GID);
    setSubject('Forced');
    assert.equal((await cache.get(GID)).subject, 'Forced');
    assert.equal(reads(), 3);
  });
});
