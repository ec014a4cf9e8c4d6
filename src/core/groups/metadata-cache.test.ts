// The group metadata cache against a scripted engine: hits, shared in-flight reads, patches from group_update,
// drops on participant changes and status changes, answers that raced with an event, and the TTL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineSession } from '../../engine/port.js';
import { TypedEmitter } from '../../engine/typed-emitter.js';
import type { EngineEventMap, GroupMetadata } from '../../engine/types.js';
import { GroupMetadataCache } from './metadata-cache.js';

const GID = '120363000000000001@g.us';

function metadata(subject: string): GroupMetadata {
  return {
    id: GID, subject, description: null, owner: null, creation: 1, announce: false, restrict: false, joinApprovalMode: false,
    memberAddMode: 'admin_add', ephemeral: 0, addressingMode: 'lid', size: 1, participants: []
  };
}

/** An engine whose metadata reads are counted and answered when the test says so. */
function fakeEngine() {
  const events = new TypedEmitter<EngineEventMap>((_, error) => {
    throw error;
  });
  const answers: ((value: GroupMetadata) => void)[] = [];
  let reads = 0;
  const engine = {
    events,
    groups: {
      metadata: () => {
        reads++;
        return new Promise<GroupMetadata>((resolve) => answers.push(resolve));
      },
      list: async () => [metadata('listed')]
    }
  } as unknown as EngineSession;
  return { engine, events, answer: (value: GroupMetadata) => answers.shift()!(value), reads: () => reads };
}

describe('group metadata cache', () => {
  it('shares one read between concurrent callers and serves the next from memory', async () => {
    const { engine, answer, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    const first = cache.get(GID);
    const second = cache.get(GID);
    answer(metadata('Team'));
    assert.equal((await first).subject, 'Team');
    assert.equal(await second, await first);
    assert.equal((await cache.get(GID)).subject, 'Team');
    assert.equal(reads(), 1);
  });

  it('patches a cached entry from group_update and drops it on participant and status changes', async () => {
    const { engine, events, answer, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    const read = cache.get(GID);
    answer(metadata('Team'));
    await read;
    events.emit('group_update', { groupId: GID, author: null, changes: { subject: 'Renamed', announce: true, inviteCode: 'ignored' } });
    const patched = await cache.get(GID);
    assert.deepEqual([patched.subject, patched.announce, 'inviteCode' in patched], ['Renamed', true, false]);
    assert.equal(reads(), 1);

    events.emit('group_participants', { groupId: GID, author: null, action: 'add', participants: [] });
    const refetch = cache.get(GID);
    answer(metadata('After add'));
    assert.equal((await refetch).subject, 'After add');
    events.emit('status', { status: 'STARTING' });
    const afterReconnect = cache.get(GID);
    answer(metadata('After reconnect'));
    assert.equal((await afterReconnect).subject, 'After reconnect');
    assert.equal(reads(), 3);
  });

  it('does not keep an answer that raced with an event, nor a list that did', async () => {
    const { engine, events, answer, reads } = fakeEngine();
    const cache = new GroupMetadataCache().for(engine);
    const stale = cache.get(GID);
    events.emit('group_update', { groupId: GID, author: null, changes: { subject: 'Newer' } });
    answer(metadata('Older'));
    assert.equal((await stale).subject, 'Older', 'the caller still gets its answer');
    const fresh = cache.get(GID);
    answer(metadata('Newer'));
    assert.equal((await fresh).subject, 'Newer');
    assert.equal(reads(), 2);

    const listing = cache.list();
    events.emit('group_participants', { groupId: GID, author: null, action: 'remove', participants: [] });
    await listing;
    const afterList = cache.get(GID);
    answer(metadata('Read again'));
    assert.equal((await afterList).subject, 'Read again');
  });

  it('reads again once an entry is older than the TTL; invalidate() forces it', async () => {
    const { engine, answer, reads } = fakeEngine();
    const cache = new GroupMetadataCache(20).for(engine);
    const first = cache.get(GID);
    answer(metadata('Team'));
    await first;
    await new Promise((resolve) => setTimeout(resolve, 30));
    const expired = cache.get(GID);
    answer(metadata('Fresh'));
    assert.equal((await expired).subject, 'Fresh');
    cache.invalidate(GID);
    const forced = cache.get(GID);
    answer(metadata('Forced'));
    assert.equal((await forced).subject, 'Forced');
    assert.equal(reads(), 3);
  });
});
