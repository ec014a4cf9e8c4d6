// Read and played receipts a simulated phone sends for messages it received: one receipt per original
// sending device (the others' ids in a list), as WhatsApp clients batch them.
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, unixNow, type Attrs } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { routeReceipt } from './receipts.js';

export type PhoneReceiptType = 'read' | 'played';

function receiptsFor(chat: string, messages: readonly PhoneMessage[], type: PhoneReceiptType): BinaryNode[] {
  const byAuthor = new Map<string, PhoneMessage[]>();
  for (const message of messages) byAuthor.set(message.fromDevice, [...(byAuthor.get(message.fromDevice) ?? []), message]);
  return [...byAuthor.values()].map((batch) => {
    const [first, ...rest] = batch as [PhoneMessage, ...PhoneMessage[]];
    const attrs: Attrs = isJidGroup(chat) ? { to: chat, participant: first.participant ?? first.from } : { to: first.from };
    return node('receipt', { ...attrs, id: first.id, type, t: unixNow() }, rest.length ? [node('list', {}, rest.map((m) => node('item', { id: m.id })))] : undefined);
  });
}

/** Sends `type` receipts from the account's phone for messages it received in `chat`. */
export function sendPhoneReceipts(network: SandboxNetwork, account: Account, chat: string, messages: readonly PhoneMessage[], type: PhoneReceiptType): void {
  for (const receipt of receiptsFor(chat, messages, type)) routeReceipt(network, { account, device: 0 }, receipt);
}
