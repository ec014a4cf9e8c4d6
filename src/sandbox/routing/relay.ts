// Message fan-out, as WhatsApp's server does it: a sender's `<message>` names one `<enc>` per recipient device
// (`<participants><to jid>`), plus a sender-key `skmsg` for groups; each device gets its own `<message>` with
// the sender addressed in the chat's form (PN or LID) and the other form as alternate. Senders are real
// clients and simulated phones alike.
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { child, children, childrenNamed, node, unixNow, type Attrs } from '../stanza.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import { groupJid, type Group } from '../world/groups.js';
import { alternate, bareJid, deviceJid, deviceKey, formOf, sameDevice, type AddressForm } from './addressing.js';
import { deliverMessage, devicesOf } from './deliver.js';

/** Stanza attributes a recipient needs to see as the sender set them. */
const FORWARDED_ATTRS = ['type', 'edit', 'category', 'expiration', 'push_priority'];

/** Why the server refuses a message, sent back as `<ack error>`. */
export class RelayRefusal extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Copy {
  target: DeviceAddress;
  enc: BinaryNode[];
}

function baseAttrs(stanza: BinaryNode): Attrs {
  const attrs: Attrs = { id: stanza.attrs.id ?? '', t: unixNow() };
  for (const name of FORWARDED_ATTRS) if (stanza.attrs[name]) attrs[name] = stanza.attrs[name];
  return attrs;
}

/**
 * One ciphertext per device: from `<participants>`, else (1:1 only, `directJid` given) the stanza's own `<enc>`
 * for the single device it is addressed to (peer messages, retries).
 */
function copiesOf(network: SandboxNetwork, stanza: BinaryNode, directJid?: string): Copy[] {
  const participants = child(stanza, 'participants');
  const entries = participants
    ? childrenNamed(participants, 'to').map((to) => ({ jid: to.attrs.jid ?? '', enc: childrenNamed(to, 'enc') }))
    : directJid
      ? [{ jid: directJid, enc: childrenNamed(stanza, 'enc') }]
      : [];
  const copies: Copy[] = [];
  for (const { jid, enc } of entries) {
    const target = network.accounts.resolve(jid);
    if (target && enc.length) copies.push({ target, enc });
    else network.logger.warn({ jid, id: stanza.attrs.id }, 'message copy for an unknown device dropped');
  }
  return copies;
}

function withIdentity(stanza: BinaryNode, enc: BinaryNode[]): BinaryNode[] {
  const identity = child(stanza, 'device-identity');
  return identity && enc.some((e) => e.attrs.type === 'pkmsg') ? [...enc, identity] : enc;
}

/** Routes a `<message>` from `sender`; throws RelayRefusal when WhatsApp would refuse it. */
export function relayMessage(network: SandboxNetwork, sender: DeviceAddress, stanza: BinaryNode): void {
  const to = stanza.attrs.to ?? '';
  if (isJidGroup(to)) relayToGroup(network, sender, stanza, to);
  else relayDirect(network, sender, stanza, to);
}

/** A simulated phone's own `<message>`, recorded under the phone's JID like a client's stanzas are. */
export function relayFromPhone(network: SandboxNetwork, account: Account, stanza: BinaryNode): void {
  network.recorder.record(account.pnJid, 'in', stanza);
  relayMessage(network, { account, device: 0 }, stanza);
}

function relayDirect(network: SandboxNetwork, sender: DeviceAddress, stanza: BinaryNode, to: string): void {
  // A resend to one of the sender's own devices is addressed to that device and names the chat as recipient.
  const chatJid = bareJid(stanza.attrs.recipient ?? to);
  const chat = network.accounts.resolve(chatJid)?.account;
  if (!chat) throw new RelayRefusal(404, `no account ${chatJid}`);
  const form = formOf(chatJid);
  const blocked = chat !== sender.account && chat.blocklist.has(sender.account.pnJid);
  const reached = new Set<string>();
  for (const { target, enc } of copiesOf(network, stanza, to)) {
    if (sameDevice(target, sender)) continue;
    const own = target.account === sender.account;
    if (!own && target.account !== chat) {
      network.logger.warn({ jid: target.account.pnDevice(target.device), chat: chatJid }, 'message copy outside the chat dropped');
      continue;
    }
    if (blocked && !own) continue;
    const attrs: Attrs = { ...baseAttrs(stanza), from: deviceJid(sender, form) };
    if (own && chat !== sender.account) attrs.recipient = chatJid;
    if (!own) Object.assign(attrs, alternate(sender.account, form, 'sender'), { notify: sender.account.name });
    deliverMessage(network, target, node('message', attrs, withIdentity(stanza, enc)));
    reached.add(deviceKey(target));
  }
  if (blocked) network.logger.info({ from: sender.account.phone, to: chat.phone }, 'message to an account that blocked the sender not delivered');
  const fanout = stanza.attrs.category !== 'peer' && stanza.attrs.device_fanout !== 'false';
  if (fanout) reportMissed(network, stanza, sender, [...(blocked ? [] : devicesOf(chat)), ...devicesOf(sender.account)], reached);
}

function relayToGroup(network: SandboxNetwork, sender: DeviceAddress, stanza: BinaryNode, to: string): void {
  const group = network.groups.get(to);
  if (!group) throw new RelayRefusal(404, `no group ${to}`);
  const member = group.members.get(sender.account.phone);
  if (!member) throw new RelayRefusal(403, `${sender.account.phone} is not a member of ${to}`);
  if (group.announce && member.role === 'member') throw new RelayRefusal(403, `only admins may send to ${to}`);
  const form: AddressForm = stanza.attrs.addressing_mode === 'pn' || stanza.attrs.addressing_mode === 'lid' ? stanza.attrs.addressing_mode : group.addressingMode;
  const direct = childrenNamed(stanza, 'enc');
  const senderKeys = new Map(copiesOf(network, stanza).map((copy) => [deviceKey(copy.target), copy.enc]));
  // A retry resend names the one device it is for.
  const only = stanza.attrs.participant ? network.accounts.resolve(stanza.attrs.participant) : undefined;
  const attrs: Attrs = {
    ...baseAttrs(stanza),
    from: groupJid(group),
    participant: deviceJid(sender, form),
    ...alternate(sender.account, form, 'participant'),
    addressing_mode: form,
    notify: sender.account.name
  };
  for (const target of memberDevices(group)) {
    if (sameDevice(target, sender) || (only && !sameDevice(target, only))) continue;
    const content = [...(senderKeys.get(deviceKey(target)) ?? []), ...direct];
    deliverMessage(network, target, node('message', attrs, withIdentity(stanza, content)));
  }
}

export function memberDevices(group: Group): DeviceAddress[] {
  return [...group.members.values()].flatMap((member) => devicesOf(member.account));
}

/** A client that leaves out a device (no session, stale device list) loses the message there: say so. */
function reportMissed(network: SandboxNetwork, stanza: BinaryNode, sender: DeviceAddress, expected: DeviceAddress[], reached: Set<string>): void {
  const missed = expected.filter((d) => !sameDevice(d, sender) && !reached.has(deviceKey(d))).map((d) => d.account.pnDevice(d.device));
  if (missed.length) network.logger.warn({ id: stanza.attrs.id, to: stanza.attrs.to, missed, children: children(stanza).map((c) => c.tag) }, 'message did not reach every device');
}
