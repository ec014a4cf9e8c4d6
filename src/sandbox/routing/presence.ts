// Presence and chat states between accounts: an account's availability reaches the devices subscribed to
// it, and typing/recording states reach the devices of the chat's other side. Both only ever go to connected
// devices, never into offline queues, as on WhatsApp.
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, unixNow } from '../stanza.js';
import type { Account, Companion, DeviceAddress, PresenceType } from '../world/accounts.js';
import { bareJid, formOf, userJid } from './addressing.js';

export type ChatState = 'composing' | 'paused' | 'recording';

function sendLive(network: SandboxNetwork, companion: Companion, stanza: BinaryNode): void {
  const conn = network.connectionOf(companion);
  if (conn?.isOpen) conn.send(stanza);
}

/** The presence stanza a subscriber gets, naming the account as it subscribed (PN or LID). */
export function presenceStanza(account: Account, asJid: string): BinaryNode {
  const { type, lastSeen } = account.presence;
  return node('presence', { from: bareJid(asJid), type, ...(type === 'unavailable' ? { last: String(lastSeen) } : {}) });
}

export function setPresence(network: SandboxNetwork, account: Account, type: PresenceType): void {
  account.presence = { type, lastSeen: Number(unixNow()) };
  for (const [companion, asJid] of account.presenceSubscribers) sendLive(network, companion, presenceStanza(account, asJid));
}

export function subscribePresence(network: SandboxNetwork, subscriber: Companion, target: string): void {
  const account = network.accounts.resolve(target)?.account;
  if (!account) return;
  account.presenceSubscribers.set(subscriber, target);
  sendLive(network, subscriber, presenceStanza(account, target));
}

/** Forwards `<chatstate>` content (`<composing/>`, `<composing media="audio"/>`, `<paused/>`) to a chat. */
export function sendChatState(network: SandboxNetwork, from: DeviceAddress, to: string, state: BinaryNode): void {
  const sender = from.account;
  if (isJidGroup(to)) {
    const group = network.groups.get(to);
    if (!group?.members.has(sender.phone)) return;
    const stanza = node('chatstate', { from: bareJid(to), participant: userJid(sender, group.addressingMode) }, [state]);
    for (const { account } of group.members.values()) {
      for (const companion of account.companions.values()) {
        if (!companion.removed && !(account === sender && companion.id === from.device)) sendLive(network, companion, stanza);
      }
    }
    return;
  }
  const target = network.accounts.resolve(to)?.account;
  if (!target || target === sender) return;
  const stanza = node('chatstate', { from: userJid(sender, formOf(to)) }, [state]);
  for (const companion of target.companions.values()) if (!companion.removed) sendLive(network, companion, stanza);
}

export function chatStateNode(state: ChatState): BinaryNode {
  return state === 'recording' ? node('composing', { media: 'audio' }) : node(state, {});
}
