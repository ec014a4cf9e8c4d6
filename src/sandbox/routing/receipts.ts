// Receipts between devices, as the server relays them: delivery, read and played receipts go from the
// recipient's device to every device of the original sender (and are recorded on the sender phone's copy);
// retry receipts go to the one device that sent the undecryptable message, or make a simulated phone resend.
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { child, children, childrenNamed, node, unixNow, type Attrs } from '../stanza.js';
import type { DeviceAddress } from '../world/accounts.js';
import { bareJid, deviceJid, formOf, userJid, type AddressForm } from './addressing.js';
import { resendFromPhone } from './phone-retry.js';

/** Receipt types the sender hears about, by the type the recipient's device sent (none = delivered). */
const SENDER_STATUS: Record<string, string> = { '': 'delivery', inactive: 'delivery', read: 'read', played: 'played' };

/** What the reader's other devices are told when one of them reads a 1:1 chat (Baileys: status READ/PLAYED). */
const READER_SYNC: Record<string, string> = { read: 'read-self', 'read-self': 'read-self', played: 'played' };

/** `<receipt attrs>` for the first id, the others in `<list><item id/>…</list>`. */
function receiptStanza(attrs: Attrs, [first, ...rest]: string[]): BinaryNode {
  return node('receipt', { ...attrs, id: first ?? '' }, rest.length ? [node('list', {}, rest.map((id) => node('item', { id })))] : undefined);
}

/** Routes a `<receipt>` a device sent (`to` = the chat as that device saw it, `participant` = group author). */
export function routeReceipt(network: SandboxNetwork, from: DeviceAddress, receipt: BinaryNode): void {
  const { to = '', participant, type = '' } = receipt.attrs;
  const group = isJidGroup(to) ? to : undefined;
  const authorJid = group ? participant : to;
  const author = authorJid ? network.accounts.resolve(authorJid) : undefined;
  if (!author) {
    network.logger.debug({ to, participant, type }, 'receipt for an unknown sender ignored');
    return;
  }
  if (type === 'retry') {
    askToResend(network, from, author, receipt, group);
    return;
  }
  const ids = [receipt.attrs.id ?? '', ...childrenNamed(child(receipt, 'list'), 'item').map((item) => item.attrs.id ?? '')].filter(Boolean);
  const t = Number(receipt.attrs.t ?? unixNow());
  const form: AddressForm = group ? (network.groups.get(group)?.addressingMode ?? formOf(authorJid!)) : formOf(to);
  const reader = userJid(from.account, form);
  const sync = READER_SYNC[type];
  if (sync && !group && author.account !== from.account) {
    const attrs = { from: reader, recipient: bareJid(to), type: sync, t: String(t) };
    network.deliverToCompanions(from.account, () => receiptStanza(attrs, ids), from.account.activeCompanion(from.device));
  }
  const status = SENDER_STATUS[type];
  // sender, peer_msg, hist_sync, read-self…: bookkeeping between a client and its own devices.
  if (!status || author.account === from.account) return;
  // Each of the reader's devices sends its own receipt; the sender hears once per reader and type.
  const fresh = ids.filter((id) => {
    const copy = author.account.inbox.find(id, true);
    if (copy?.receipts.some((r) => r.type === status && r.from === reader)) return false;
    copy?.receipts.push({ type: status, from: reader, t });
    return true;
  });
  if (!fresh.length) return;
  const attrs: Attrs = { ...(group ? { from: group, participant: reader } : { from: reader }), t: String(t), ...(status === 'delivery' ? {} : { type: status }) };
  network.deliverToCompanions(author.account, () => receiptStanza(attrs, fresh));
}

/** A device could not decrypt: the original sender must encrypt again for it (whatsapp-web-wire.md §7.6). */
function askToResend(network: SandboxNetwork, asker: DeviceAddress, sender: DeviceAddress, receipt: BinaryNode, group: string | undefined): void {
  if (sender.device === 0) {
    resendFromPhone(network, sender.account, asker, receipt, group);
    return;
  }
  const form = formOf(group ? (receipt.attrs.participant ?? '') : (receipt.attrs.to ?? ''));
  const askerJid = deviceJid(asker, form);
  const attrs: Attrs = {
    ...(group ? { from: group, participant: askerJid } : { from: askerJid }),
    ...(receipt.attrs.recipient ? { recipient: receipt.attrs.recipient } : {}),
    id: receipt.attrs.id ?? '',
    type: 'retry',
    t: unixNow()
  };
  const companion = sender.account.activeCompanion(sender.device);
  if (companion) network.deliver(companion, node('receipt', attrs, children(receipt)));
}
