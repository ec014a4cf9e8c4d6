// A simulated phone receiving a `<message>`: it decrypts every `<enc>` with its own Signal state (1:1
// sessions, sender keys from SKDMs), unwraps own-device copies, keeps the message in its chats (counting
// duplicates), downloads media, counts poll votes, and answers with a delivery receipt as a phone does, plus
// a read receipt when its settings say so. What it cannot decrypt, it asks the sender to send again.
import { getContentType, isJidGroup, normalizeMessageContent, proto, unpadRandomMax16, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { childrenNamed, contentBytes, node } from '../stanza.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { bareJid, sameDevice } from './addressing.js';
import { sessionJid } from './encrypt.js';
import { openMedia } from './media.js';
import { sendPhoneReceipts } from './phone-receipts.js';
import { askSenderToResend } from './phone-retry-request.js';
import { readVote } from './poll-votes.js';
import { routeReceipt } from './receipts.js';

export function receiveOnPhone(network: SandboxNetwork, account: Account, stanza: BinaryNode): void {
  account
    .onPhone(() => processOnPhone(network, account, stanza))
    .catch((error: unknown) =>
      network.logger.warn({ phone: account.phone, id: stanza.attrs.id, err: error instanceof Error ? error.message : String(error) }, 'simulated phone could not process a message')
    );
}

async function processOnPhone(network: SandboxNetwork, account: Account, stanza: BinaryNode): Promise<void> {
  const { from = '', id = '' } = stanza.attrs;
  const group = isJidGroup(from) ? from : undefined;
  const author = group ? (stanza.attrs.participant ?? '') : from;
  const sender = network.accounts.resolve(author);
  if (!sender) throw new Error(`message from unknown device ${author}`);
  const message = await decrypt(account, stanza, author, sender, group).catch(async (error: unknown) => {
    await askSenderToResend(network, account, stanza, author, group);
    throw error;
  });
  // Peer messages are a companion's requests to its own phone (app-state keys, history); nothing to keep.
  if (stanza.attrs.category === 'peer') return;
  delete message.senderKeyDistributionMessage;
  const type = getContentType(normalizeMessageContent(message));
  // A pure sender-key distribution (e.g. ahead of a retried group message) carries nothing to keep.
  if (!type) return;
  const fromMe = sender.account === account;
  const chat = group ?? (fromMe && stanza.attrs.recipient ? stanza.attrs.recipient : bareJid(from));
  // The same id again from the same device (a resend after a crash, or after a retry) is one message, seen twice.
  const known = account.inbox.withId(id).find((m) => isFrom(network, m, sender));
  if (known) known.copies++;
  const entry: PhoneMessage = known ?? {
    id,
    from: bareJid(author),
    fromDevice: author,
    fromMe,
    chat,
    ...(group ? { participant: bareJid(author) } : {}),
    timestamp: Number(stanza.attrs.t ?? 0),
    type,
    message,
    copies: 1,
    receipts: []
  };
  if (!known) {
    const media = await openMedia(network, message).catch((error: Error) => ({ error: error.message }));
    if (media) entry.media = media;
    if (message.pollUpdateMessage) entry.vote = readVote(network, account, sender.account, message.pollUpdateMessage);
    account.inbox.keep(entry);
  }
  if (fromMe) return;
  routeReceipt(network, { account, device: 0 }, node('receipt', { to: group ?? from, id, ...(group ? { participant: author } : {}) }));
  if (!known && account.settings.autoRead && isReadable(message)) sendPhoneReceipts(network, account, chat, [entry], 'read');
}

function isFrom(network: SandboxNetwork, message: PhoneMessage, sender: DeviceAddress): boolean {
  const device = network.accounts.resolve(message.fromDevice);
  return !!device && sameDevice(device, sender);
}

/** Clients send read receipts for what shows as a message; reactions, votes, edits and revokes only change one. */
function isReadable(message: proto.IMessage): boolean {
  const content = normalizeMessageContent(message);
  return !content?.reactionMessage && !content?.pollUpdateMessage && !content?.protocolMessage;
}

async function decrypt(account: Account, stanza: BinaryNode, author: string, sender: DeviceAddress, group: string | undefined): Promise<proto.IMessage> {
  const { repository } = account.phoneParty;
  const merged: proto.IMessage = {};
  for (const enc of childrenNamed(stanza, 'enc')) {
    const ciphertext = contentBytes(enc);
    if (!ciphertext) continue;
    const type = enc.attrs.type;
    let padded: Uint8Array;
    if (type === 'skmsg') {
      if (!group) throw new Error('skmsg outside a group');
      padded = await repository.decryptGroupMessage({ group, authorJid: author, msg: ciphertext });
    } else if (type === 'pkmsg' || type === 'msg') {
      padded = await repository.decryptMessage({ jid: sessionJid(sender), type, ciphertext });
    } else {
      throw new Error(`unknown enc type ${type}`);
    }
    const decoded = proto.Message.decode(unpadRandomMax16(padded));
    const message = decoded.deviceSentMessage?.message ?? decoded;
    // Sender keys are named after the author exactly as the stanza gives it (participant attribute).
    if (message.senderKeyDistributionMessage) await repository.processSenderKeyDistributionMessage({ authorJid: author, item: message.senderKeyDistributionMessage });
    Object.assign(merged, message);
  }
  return merged;
}
