// The 8 message actions (WARest actions 31-38) on a stored message, named by its id in the path and its chat
// as `to`; and `GET /messages/:messageId` (beyond WARest): a stored message with its status.
import type { FastifyInstance } from 'fastify';
import type { ActionInput, MessageAction, MessageCommand } from '../../core/messages/message-actions.js';
import type { MessageRow } from '../../store/repos/messages.js';
import { sessionCommand } from '../commands.js';
import { normalizeSingleRecipient } from '../jids.js';
import { readString, type RequestParts } from '../params.js';
import { actionRoute, type ApiOperation } from '../route-table.js';
import { actionView } from '../views/warest/messages.js';
import { field } from '../credentials.js';
import { readFlag, SEND_FIELDS, TEXT, type MessageRoutesContext } from './messages-http.js';

const PARAMS = { type: 'object', required: ['messageId'], properties: { messageId: { type: 'string', minLength: 1, maxLength: 128 } } } as const;
const ACTION_FIELDS = { sessionId: SEND_FIELDS.sessionId, phone: TEXT, to: { type: ['string', 'number'], description: 'the chat the message is in: phone number or JID (…@g.us for groups)' } } as const;

const ACTIONS: [ApiOperation, MessageAction, Record<string, unknown>][] = [
  ['deleteMessage', 'delete', { withMedia: { type: ['boolean', 'string'] }, deleteForMe: { type: ['boolean', 'string'] } }],
  ['editMessage', 'edit', { message: { type: 'string', description: 'the new text; alias text' }, text: TEXT }],
  ['markMessageRead', 'read', {}],
  ['reactToMessage', 'react', { emoji: { type: 'string', description: 'one emoji' } }],
  ['removeReaction', 'unreact', {}],
  ['revokeMessage', 'revoke', { withMedia: { type: ['boolean', 'string'] }, deleteForMe: { type: ['boolean', 'string'] } }],
  ['starMessage', 'star', {}],
  ['unstarMessage', 'unstar', {}]
];

function messageCommand(request: RequestParts & Parameters<typeof sessionCommand>[0], context: MessageRoutesContext): MessageCommand {
  const messageId = (request.params as { messageId: string }).messageId;
  const to = field(request.body, 'to') ?? field(request.query, 'to');
  const chat = to === undefined || to === null || to === '' ? undefined : normalizeSingleRecipient(to, context.phones);
  return { ...sessionCommand(request, 'messages'), messageId, ...(chat ? { chat } : {}) };
}

function storedView(row: MessageRow) {
  return {
    sessionId: row.session_id,
    messageId: row.id,
    chat: row.chat_jid,
    fromMe: row.from_me === 1,
    sender: row.sender_jid ? { jid: row.sender_jid, pn: row.sender_pn, lid: row.sender_lid } : null,
    pushName: row.push_name,
    type: row.type,
    text: row.text,
    quotedId: row.quoted_id,
    mentions: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
    mediaId: row.media_id,
    timestamp: row.timestamp,
    status: row.status,
    statusAt: row.status_at,
    editedAt: row.edited_at,
    revokedAt: row.revoked_at,
    starred: row.starred === 1
  };
}

export function registerMessageActionRoutes(app: FastifyInstance, context: MessageRoutesContext): void {
  for (const [operation, action, extra] of ACTIONS) {
    app.route(
      actionRoute(operation, {
        schema: { params: PARAMS, body: { type: 'object', properties: { ...ACTION_FIELDS, ...extra } } },
        handler: async (request, reply) => {
          const input: ActionInput = {};
          if (action === 'react') input.emoji = readString(request, ['emoji', 'reaction']) ?? '';
          if (action === 'edit') input.text = readString(request, ['message', 'text']);
          if (action === 'delete') input.deleteMedia = readFlag(request, ['withMedia']) ?? true;
          const view = actionView(await context.actions.act(messageCommand(request, context), action, input));
          return reply.envelope('SUCCESS', view.message, view.result);
        }
      })
    );
  }

  app.get(
    '/messages/:messageId',
    {
      schema: {
        tags: ['Messages - Actions'],
        summary: 'Get a stored message and its status (beyond WARest)',
        params: PARAMS,
        querystring: { type: 'object', properties: ACTION_FIELDS }
      }
    },
    async (request, reply) => reply.envelope('SUCCESS', 'Message found', storedView(await context.actions.find(messageCommand(request, context))))
  );
}
