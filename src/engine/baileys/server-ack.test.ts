// Waiting for the server's ack of a sent message, on a stand-in socket whose frames the test plays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WASocket } from 'baileys';
import { EngineNotConnectedError, EngineRemoteError } from '../errors.js';
import { withServerAck } from './server-ack.js';

const ACK = 'CB:ack,class:message';

function socket(): { sock: WASocket; ws: EventEmitter } {
  const ws = new EventEmitter();
  return { sock: { ws } as unknown as WASocket, ws };
}

const ack = (id: string, extra: Record<string, string> = {}) => ({ tag: 'ack', attrs: { class: 'message', id, ...extra } });

test('resolves at the ack for its id, not when the stanza is written, and stops listening', async () => {
  const { sock, ws } = socket();
  let acked = false;
  const pending = withServerAck(sock, 'ID1', 'messages.send', new AbortController().signal, async () => 'written').then((result) => {
    acked = true;
    return result;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(acked, false, 'still waiting after the write');
  ws.emit(ACK, ack('OTHER', { t: '1' }));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(acked, false, "another message's ack does not count");
  ws.emit(ACK, ack('ID1', { t: '1700000000' }));
  assert.deepEqual(await pending, { result: 'written', serverTime: 1_700_000_000 });
  assert.equal(ws.listenerCount(ACK) + ws.listenerCount('close'), 0);
});

test('an ack that arrives before the send returns still counts', async () => {
  const { sock, ws } = socket();
  const sent = await withServerAck(sock, 'EARLY', 'messages.send', new AbortController().signal, async () => {
    ws.emit(ACK, ack('EARLY'));
    return 1;
  });
  assert.deepEqual(sent, { result: 1, serverTime: null });
});

test('an ack with an error rejects with EngineRemoteError; a closed socket with EngineNotConnectedError', async () => {
  const refused = socket();
  const pending = withServerAck(refused.sock, 'ID2', 'messages.react', new AbortController().signal, async () => undefined);
  refused.ws.emit(ACK, ack('ID2', { error: '479' }));
  await assert.rejects(pending, (error: unknown) => error instanceof EngineRemoteError && error.code === 479 && error.operation === 'messages.react');

  const closed = socket();
  const waiting = withServerAck(closed.sock, 'ID3', 'messages.send', new AbortController().signal, async () => undefined);
  closed.ws.emit('close');
  await assert.rejects(waiting, EngineNotConnectedError);
  assert.equal(closed.ws.listenerCount(ACK), 0);
});

test('a failed send and an abandoned command release the listeners', async () => {
  const failing = socket();
  await assert.rejects(withServerAck(failing.sock, 'ID4', 'messages.send', new AbortController().signal, async () => Promise.reject(new Error('upload failed'))), /upload failed/);
  assert.equal(failing.ws.listenerCount(ACK), 0);

  const hanging = socket();
  const over = new AbortController();
  void withServerAck(hanging.sock, 'ID5', 'messages.send', over.signal, () => new Promise(() => undefined));
  assert.equal(hanging.ws.listenerCount(ACK), 1);
  over.abort();
  assert.equal(hanging.ws.listenerCount(ACK) + hanging.ws.listenerCount('close'), 0);
});
