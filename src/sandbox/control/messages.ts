// Control routes for what simulated phones write and read: send a message as an account's phone, list what
// that phone has in its chats (decrypted, with the receipts its own messages got), and send read/played
// receipts for messages it received.
import { isJidGroup, jidNormalizedUser, proto, type BinaryNode } from 'baileys';
import type { FastifyInstance } from 'fastify';
import { node, unixNow, type Attrs } from '../stanza.js';
import { attachMediaHost } from '../routing/media.js';
import { sendFromPhone } from '../routing/phone-send.js';
import { routeReceipt } from '../routing/receipts.js';
import { RelayRefusal } from '../routing/relay.js';
import type { PhoneMessage } from '../world/accounts.js';
import { accountOrThrow } from './accounts.js';
import { ControlError, type ControlDeps } from './api.js';
import { buildPhoneMessage, chatJid, type SendBody } from './message-content.js';

const idRef = { type: 'object', required: ['messageId'], properties: { messageId: { type: 'string', minLength: 1 } } };
const sendSchema = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', minLength: 1 },
    text: { type: 'string' },
    reaction: { ...idRef, required: ['messageId', 'emoji'], properties: { ...idRef.properties, emoji: { type: 'string' } } },
    poll: {
      type: 'object',
      required: ['name', 'options'],
      properties: { name: { type: 'string', minLength: 1 }, options: { type: 'array', minItems: 2, maxItems: 12, items: { type: 'string', minLength: 1 } }, selectableCount: { type: 'integer', minimum: 0 } }
    },
    location: { type: 'object', required: ['latitude', 'longitude'], properties: { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 }, name: { type: 'string' } } },
    contact: { type: 'object', required: ['displayName', 'vcard'], properties: { displayName: { type: 'string', minLength: 1 }, vcard: { type: 'string', minLength: 1 } } },
    image: { type: 'object', required: ['base64'], properties: { base64: { type: 'string', minLength: 1 }, mimetype: { type: 'string' }, caption: { type: 'string' } } },
    edit: { ...idRef, required: ['messageId', 'text'], properties: { ...idRef.properties, text: { type: 'string', minLength: 1 } } },
    revoke: idRef,
    pollVote: { ...idRef, required: ['messageId', 'options'], properties: { ...idRef.properties, options: { type: 'array', items: { type: 'string' } } } },
    replyTo: { type: 'string', minLength: 1 }
  }
};

const receiptSchema = {
  type: 'object',
  required: ['chat', 'ids', 'type'],
  properties: { chat: { type: 'string', minLength: 1 }, ids: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }, type: { type: 'string', enum: ['read', 'played'] } }
};

function textOf(message: proto.IMessage): string | undefined {
  const edited = message.protocolMessage?.editedMessage;
  const m = edited ?? message;
  return m.conversation ?? m.extendedTextMessage?.text ?? m.imageMessage?.caption ?? m.videoMessage?.caption ?? m.documentMessage?.caption ?? undefined;
}

export function describeMessage(message: PhoneMessage) {
  const text = textOf(message.message);
  return {
    id: message.id,
    from: message.from,
    fromMe: message.fromMe,
    chat: message.chat,
    ...(message.participant ? { participant: message.participant } : {}),
    timestamp: message.timestamp,
    type: message.type,
    message: proto.Message.decode(proto.Message.encode(message.message).finish()).toJSON(),
    ...(text !== undefined ? { text } : {}),
    ...(message.media ? { media: message.media } : {}),
    ...(message.vote ? { vote: message.vote } : {}),
    receipts: message.receipts
  };
}

/** Receipts the phone sends for messages it received, one per original sender as WhatsApp clients do. */
function receiptsFor(chat: string, messages: PhoneMessage[], type: string): BinaryNode[] {
  const byAuthor = new Map<string, PhoneMessage[]>();
  for (const message of messages) byAuthor.set(message.fromDevice, [...(byAuthor.get(message.fromDevice) ?? []), message]);
  return [...byAuthor.values()].map((batch) => {
    const [first, ...rest] = batch as [PhoneMessage, ...PhoneMessage[]];
    const attrs: Attrs = isJidGroup(chat) ? { to: chat, participant: first.participant ?? first.from } : { to: first.from };
    return node('receipt', { ...attrs, id: first.id, type, t: unixNow() }, rest.length ? [node('list', {}, rest.map((m) => node('item', { id: m.id })))] : undefined);
  });
}

export function messageRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { network } = deps;
  // Simulated phones upload and download media, and publish profile pictures, on this network's media host.
  attachMediaHost(network, deps.media);

  app.post<{ Params: { phone: string }; Body: SendBody }>('/sandbox/v1/accounts/:phone/messages', { schema: { body: sendSchema } }, async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    const built = await buildPhoneMessage(network, account, request.body);
    try {
      await sendFromPhone(network, account, built);
    } catch (error) {
      if (error instanceof RelayRefusal) throw new ControlError(error.code === 404 ? 404 : 403, error.message);
      throw error;
    }
    return { id: built.id };
  });

  app.get<{ Params: { phone: string } }>('/sandbox/v1/accounts/:phone/messages', async (request) => ({
    messages: accountOrThrow(deps, request.params.phone).inbox.map(describeMessage)
  }));

  app.post<{ Params: { phone: string }; Body: { chat: string; ids: string[]; type: 'read' | 'played' } }>(
    '/sandbox/v1/accounts/:phone/receipts',
    { schema: { body: receiptSchema } },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const chat = chatJid(network, request.body.chat);
      const chatAccount = isJidGroup(chat) ? undefined : network.accounts.resolve(chat)?.account;
      const inChat = (m: PhoneMessage) => (chatAccount ? network.accounts.resolve(m.chat)?.account === chatAccount : jidNormalizedUser(m.chat) === chat);
      const messages = request.body.ids.map((id) => account.inbox.find((m) => m.id === id && !m.fromMe && inChat(m)));
      const missing = request.body.ids.filter((_, i) => !messages[i]);
      if (missing.length) throw new ControlError(404, `${account.phone} received no message ${missing.join(', ')} in ${request.body.chat}`);
      for (const receipt of receiptsFor(chat, messages as PhoneMessage[], request.body.type)) routeReceipt(network, { account, device: 0 }, receipt);
      return { sent: request.body.ids.length };
    }
  );
}
