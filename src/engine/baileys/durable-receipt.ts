// Baileys 7.0.0-rc14 sends the delivery receipt of an inbound message before the application sees it, and commits
// the message's Signal state before that: a crash in between loses the message for good (WhatsApp never
// redelivers a receipted message, and a redelivered one no longer decrypts). patches/baileys+7.0.0-rc14.patch
// (applied by `npm install`'s postinstall, patch-package) adds the `beforeAck` socket option: decrypt, the
// upsert and `beforeAck` run in one key transaction, and the receipt or ack follows. No upstream hook exists
// (README: "Guarantees"). This module refuses to run on an unpatched install rather than lose messages.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARKER = '[durable-receipt]';
let checked = false;

export function assertDurableReceiptPatch(): void {
  if (checked) return;
  const root = dirname(createRequire(import.meta.url).resolve('baileys/package.json'));
  const source = readFileSync(join(root, 'lib', 'Socket', 'messages-recv.js'), 'utf8');
  if (!source.includes(MARKER)) {
    throw new Error('baileys is not patched for durable receipts: run `npm install` (its postinstall applies patches/baileys+7.0.0-rc14.patch), not an install with --ignore-scripts');
  }
  checked = true;
}
