// Baileys' retry manager keeps recent messages to answer retry receipts, which only ever ask for a message the
// device sent. Upstream it keeps the ones received too; with keepReceivedMessages off ([recent-messages] in the
// patch, what the gateway's sockets use) it keeps none of them, and still keeps what it sends.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { proto } from 'baileys';
import type { RunningSandbox } from '../../sandbox/index.js';
import { control, linkedClient, pn, upsertOf, useSandbox } from '../../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../../test/support/raw-client.js';

const BOB = '15550313001';
const UPSTREAM = '15550313002';
const GATEWAY_LIKE = '15550313003';

interface RetryManager {
  getRecentMessage(to: string, id: string): { message: proto.IMessage } | undefined;
}
const retryManager = (client: RawClient) => (client.sock as unknown as { messageRetryManager: RetryManager }).messageRetryManager;

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' } });
let sb: RunningSandbox;
before(async () => ({ sb } = await fixture.ready));

async function receivedFromBob(client: RawClient, phone: string): Promise<{ from: string; id: string }> {
  const { body } = await control<{ id: string }>(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: pn(phone), text: `hello ${phone}` });
  const { message } = await upsertOf(client, body.id, (m) => !!m.message);
  return { from: message.key.remoteJid!, id: body.id };
}

test('with keepReceivedMessages off, a received message is not kept for retries, and a sent one still is', async () => {
  const upstream = await linkedClient(sb, UPSTREAM, 'Upstream');
  const gatewayLike = await linkedClient(sb, GATEWAY_LIKE, 'Gateway-like', { keepReceivedMessages: false });
  try {
    const kept = await receivedFromBob(upstream, UPSTREAM);
    assert.ok(retryManager(upstream).getRecentMessage(kept.from, kept.id), 'upstream keeps what it received');

    const notKept = await receivedFromBob(gatewayLike, GATEWAY_LIKE);
    assert.equal(retryManager(gatewayLike).getRecentMessage(notKept.from, notKept.id), undefined);

    const sent = await gatewayLike.sock!.sendMessage(pn(BOB), { text: 'sent, kept for a retry' });
    const again = retryManager(gatewayLike).getRecentMessage(pn(BOB), sent!.key.id!)?.message;
    assert.equal(again?.conversation ?? again?.extendedTextMessage?.text, 'sent, kept for a retry');
  } finally {
    upstream.stop();
    gatewayLike.stop();
  }
});
