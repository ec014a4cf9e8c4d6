import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSandbox } from './index.js';
import { control, linkedClient, useSandbox } from '../../test/support/sandbox-fixture.js';
import { RawClient } from '../../test/support/raw-client.js';

const fixture = useSandbox();
let sb: RunningSandbox;
before(async () => ({ sb } = await fixture.ready));

test('a raw Baileys client links by QR, restarts on 515 and opens with its LID', async () => {
  const client = await linkedClient(sb, '15550001111', 'Alice');
  const me = client.creds.me!;
  assert.match(me.id, /^15550001111:1@s\.whatsapp\.net$/);
  assert.match(me.lid ?? '', /^\d+:1@lid$/);
  const account = await control(sb, 'GET', '/sandbox/v1/accounts/15550001111');
  assert.equal(account.body.lid.split('@')[0], me.lid!.split(':')[0]);
  assert.equal(client.creds.platform, 'android');
  client.stop();
});
