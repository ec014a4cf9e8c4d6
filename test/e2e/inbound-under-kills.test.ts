// Nothing lost: phones stream inbound messages while the gateway process is SIGKILLed at random moments and
// restarted on the same database. Every message reaches the webhook (signed), a duplicate keeps its event id,
// and each chat's messages arrive in the order they were sent. The full-size run is `npm run bench -- reliability`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/gateway-harness.js';
import { runInboundUnderKills } from '../support/inbound-under-kills.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: inbound messages under SIGKILL`, () => {
    test('400 messages from 4 phones, 4 kills: all delivered, duplicates keep their id, order per chat holds', async () => {
      const report = await runInboundUnderKills({ dialect, messages: 400, phones: 4, kills: 4, seed: 20261204, spreadMs: 8_000 });
      assert.deepEqual(report.lost, [], `lost ${report.lost.length} of ${report.sent}`);
      assert.equal(report.delivered, report.sent);
      assert.equal(report.kills, 4);
      assert.equal(report.duplicatesWithNewId, 0, 'a redelivered message keeps its event id');
      assert.equal(report.outOfOrder, 0, 'per-chat order');
    });
  });
}
