// Control routes for what simulated phones write and read: send a message as an account's phone, list what
// that phone has in its chats (decrypted and summarised, with the receipts its own messages got), look one
// message up, and send read/played receipts for messages it received.
import type { FastifyInstance } from 'fastify';
import { attachMediaHost } from '../routing/media.js';
import { sendPhoneReceipts, type PhoneReceiptType } from '../routing/phone-receipts.js';
import { sendFromPhone } from '../routing/phone-send.js';
import { RelayRefusal } from '../routing/relay.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { accountOrThrow } from './accounts.js';
import { ControlError, type ControlDeps } from './api.js';
import { describeMessage } from './describe-message.js';
import { buildPhoneMessage, chatJid, MEDIA_OPTIONS, type MediaOption, type SendBody } from './message-content.js';
import { byAuthor, inChat, sentSince, type MessageFilter } from './message-filters.js';

const idRef = { type: 'object', required: ['messageId'], properties: { messageId: { type: 'string', minLength: 1 } } };

const MEDIA_OPTION_SCHEMAS: Record<MediaOption, object> = {
  caption: { type: 'string' },
  gifPlayback: { type: 'boolean' },
  ptt: { type: 'boolean' },
  fileName: { type: 'string', minLength: 1 }
};

function mediaSchema(options: readonly MediaOption[]) {
  return {
    type: 'object',
    required: ['base64'],
    additionalProperties: false,
    properties: { base64: { type: 'string', minLength: 1 }, mimetype: { type: 'string', minLength: 1 }, ...Object.fromEntries(options.map((o) => [o, MEDIA_OPTION_SCHEMAS[o]])) }
  };
}

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
    ...Object.fromEntries(Object.entries(MEDIA_OPTIONS).map(([kind, options]) => [kind, mediaSchema(options)])),
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

const listQuerySchema = {
  type: 'object',
  properties: { chat: { type: 'string', minLength: 1 }, from: { type: 'string', minLength: 1 }, since: { type: 'integer', minimum: 0 } }
};

type ListQuery = { chat?: string; from?: string; since?: number };

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

  app.get<{ Params: { phone: string }; Querystring: ListQuery }>('/sandbox/v1/accounts/:phone/messages', { schema: { querystring: listQuerySchema } }, async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    const { chat, from, since } = request.query;
    const filters: MessageFilter[] = [
      ...(chat ? [inChat(network, chat)] : []),
      ...(from ? [byAuthor(network, from)] : []),
      ...(since !== undefined ? [sentSince(since)] : [])
    ];
    return { messages: [...account.inbox].filter((m) => filters.every((matches) => matches(m))).map(describeMessage) };
  });

  app.get<{ Params: { phone: string; id: string } }>('/sandbox/v1/accounts/:phone/messages/:id', async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    const message = account.inbox.find(request.params.id);
    if (!message) throw new ControlError(404, `${account.phone} has no message ${request.params.id} in its chats (it may not have arrived yet)`);
    return describeMessage(message);
  });

  app.post<{ Params: { phone: string }; Body: { chat: string; ids: string[]; type: PhoneReceiptType } }>(
    '/sandbox/v1/accounts/:phone/receipts',
    { schema: { body: receiptSchema } },
    async (request) => {
      const account = accountOrThrow(deps, request.params.phone);
      const { chat, ids, type } = request.body;
      const isInChat = inChat(network, chat);
      const messages = ids.map((id) => account.inbox.withId(id).find((m) => !m.fromMe && isInChat(m)));
      const missing = ids.filter((_, i) => !messages[i]);
      if (missing.length) throw new ControlError(404, `${account.phone} received no message ${missing.join(', ')} in ${chat}`);
      sendPhoneReceipts(network, account, chatJid(network, chat), messages as PhoneMessage[], type);
      return { sent: ids.length };
    }
  );
}
