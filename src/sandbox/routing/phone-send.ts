// A simulated phone sending a message the way a WhatsApp client does: 1:1 messages are Signal-encrypted for
// every device of the recipient plus device-sent copies for the phone's own companions; group messages are
// encrypted once with the phone's sender key, with a sender-key distribution message for each member device
// that does not hold it yet. The stanza then goes through the same relay as any client's.
import { encodeWAMessage, getContentType, isJidGroup, normalizeMessageContent, type BinaryNode, type proto } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, unixNow, type Attrs } from '../stanza.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import { bareJid, deviceJid, formOf, userJid, type AddressForm } from './addressing.js';
import { devicesOf } from './deliver.js';
import { encryptFor, sessionJid } from './encrypt.js';
import { memberDevices, RelayRefusal, relayFromPhone } from './relay.js';

const MEDIA_CONTENT = ['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage', 'contactMessage', 'contactsArrayMessage', 'liveLocationMessage'];

/** The stanza `type` WhatsApp clients give a message (messages-send.js getMessageType). */
export function stanzaType(message: proto.IMessage): string {
  const content = normalizeMessageContent(message) ?? {};
  if (content.reactionMessage || content.encReactionMessage) return 'reaction';
  if (content.pollCreationMessage || content.pollCreationMessageV2 || content.pollCreationMessageV3 || content.pollUpdateMessage) return 'poll';
  return MEDIA_CONTENT.some((field) => field in content && content[field as keyof proto.IMessage]) ? 'media' : 'text';
}

/** The identity a phone's sender key is named after: its own user JID in the group's addressing form. */
export const groupSenderJid = (account: Account, form: AddressForm): string => userJid(account, form);

export interface PhoneMessageRequest {
  /** chat JID as the sender addresses it: PN, LID or group */
  chat: string;
  id: string;
  message: proto.IMessage;
  /** extra stanza attributes, e.g. `edit` for edits and revokes */
  attrs?: Attrs;
}

export function sendFromPhone(network: SandboxNetwork, account: Account, request: PhoneMessageRequest): Promise<void> {
  return account.onPhone(async () => {
    const group = isJidGroup(request.chat);
    const form = group ? (network.groups.get(request.chat)?.addressingMode ?? 'lid') : formOf(request.chat);
    const built: Built = group ? await groupStanza(network, account, request, form) : { stanza: await directStanza(network, account, request, form) };
    relayFromPhone(network, account, built.stanza);
    built.delivered?.();
    account.inbox.keep({
      id: request.id,
      from: userJid(account, form),
      fromDevice: deviceJid({ account, device: 0 }, form),
      fromMe: true,
      chat: bareJid(request.chat),
      timestamp: Number(unixNow()),
      type: getContentType(normalizeMessageContent(request.message)) ?? 'unknown',
      message: request.message,
      copies: 1,
      receipts: []
    });
  });
}

async function directStanza(network: SandboxNetwork, account: Account, request: PhoneMessageRequest, form: AddressForm): Promise<BinaryNode> {
  const chat = network.accounts.resolve(request.chat)?.account;
  if (!chat) throw new RelayRefusal(404, `no account ${request.chat}`);
  const targets = [...devicesOf(chat), ...(chat === account ? [] : devicesOf(account))].filter((d) => d.account !== account || d.device !== 0);
  const ownCopy: proto.IMessage = { deviceSentMessage: { destinationJid: bareJid(request.chat), message: request.message } };
  const participants: BinaryNode[] = [];
  for (const target of targets) {
    const copy = await encryptedCopy(network, account, target, target.account === account ? ownCopy : request.message, form);
    if (copy) participants.push(copy);
  }
  return node('message', { to: bareJid(request.chat), id: request.id, type: stanzaType(request.message), ...request.attrs }, [node('participants', {}, participants)]);
}

/** A stanza to relay, and what to remember once the relay accepted it. */
interface Built {
  stanza: BinaryNode;
  delivered?: () => void;
}

/** The group stanza; once relayed, the devices that got the distribution message hold the sender key. */
async function groupStanza(network: SandboxNetwork, account: Account, request: PhoneMessageRequest, form: AddressForm): Promise<Built> {
  const group = network.groups.get(request.chat);
  if (!group) throw new RelayRefusal(404, `no group ${request.chat}`);
  const groupId = bareJid(request.chat);
  const { ciphertext, senderKeyDistributionMessage } = await account.phoneParty.repository.encryptGroupMessage({
    group: groupId,
    meId: groupSenderJid(account, form),
    data: encodeWAMessage(request.message)
  });
  const holders = account.senderKeyHolders.get(groupId) ?? new Set<string>();
  const distributed: string[] = [];
  const distribution: proto.IMessage = { senderKeyDistributionMessage: { groupId, axolotlSenderKeyDistributionMessage: senderKeyDistributionMessage } };
  const participants: BinaryNode[] = [];
  for (const target of memberDevices(group)) {
    if ((target.account === account && target.device === 0) || holders.has(sessionJid(target))) continue;
    const copy = await encryptedCopy(network, account, target, distribution, form);
    if (!copy) continue;
    participants.push(copy);
    distributed.push(sessionJid(target));
  }
  const stanza = node('message', { to: groupId, id: request.id, type: stanzaType(request.message), addressing_mode: form, ...request.attrs }, [
    node('enc', { v: '2', type: 'skmsg' }, Buffer.from(ciphertext)),
    ...(participants.length ? [node('participants', {}, participants)] : [])
  ]);
  const delivered = () => account.senderKeyHolders.set(groupId, new Set([...holders, ...distributed]));
  return { stanza, delivered };
}

/** One device's `<to>`; like a client, a device that cannot be encrypted for is left out (and reported by the relay). */
async function encryptedCopy(network: SandboxNetwork, account: Account, target: DeviceAddress, message: proto.IMessage, form: AddressForm): Promise<BinaryNode | undefined> {
  try {
    const { type, ciphertext } = await encryptFor(account.phoneParty, target, message);
    return node('to', { jid: deviceJid(target, form) }, [node('enc', { v: '2', type }, Buffer.from(ciphertext))]);
  } catch (error) {
    network.logger.warn({ phone: account.phone, device: sessionJid(target), err: error instanceof Error ? error.message : String(error) }, 'phone could not encrypt for a device');
    return undefined;
  }
}
