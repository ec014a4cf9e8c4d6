// The message actions (react, unreact, edit, revoke, delete for me, star, unstar, mark as read) on a message
// the store knows, with WhatsApp's rules checked first: only our own text messages are edited, within
// WhatsApp's edit window; only our own messages are revoked, or anyone's in a group we administer, within the
// revoke window; a reaction is one emoji. The store follows what was done.
import type { MessageKey } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { findMessage, updateMessage, type MessageRow } from '../../store/repos/messages.js';
import { GatewayError } from '../errors.js';
import { membership } from '../groups/group-context.js';
import type { GroupMetadataCache } from '../groups/metadata-cache.js';
import type { SessionAccess, SessionCommand, WorkingSession } from '../sessions/session-access.js';

export type MessageAction = 'react' | 'unreact' | 'edit' | 'revoke' | 'delete' | 'star' | 'unstar' | 'read';

export interface MessageCommand extends SessionCommand {
  messageId: string;
  /** the chat the message is in, when the caller named it */
  chat?: string;
}

export interface ActionInput {
  emoji?: string;
  text?: string;
  /** delete for me: also delete the media file on our devices */
  deleteMedia?: boolean;
}

export interface ActionOutcome {
  sessionId: string;
  phone: string | null;
  chat: string;
  messageId: string;
  action: MessageAction;
  /** id of the message the action itself sent (reaction, edit, revoke) */
  actionMessageId: string | null;
}

/** WhatsApp lets a message be edited for 15 minutes and deleted for everyone for about 2½ days. */
export const EDIT_WINDOW_SECONDS = 15 * 60;
export const REVOKE_WINDOW_SECONDS = 60 * 3600;

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const segmenter = new Intl.Segmenter();

export function isSingleEmoji(value: string): boolean {
  const graphemes = [...segmenter.segment(value)];
  return graphemes.length === 1 && EMOJI.test(value);
}


function keyOf(row: MessageRow): MessageKey {
  const group = row.chat_jid.endsWith('@g.us');
  return { chat: row.chat_jid, id: row.id, fromMe: row.from_me === 1, participant: group && row.from_me === 0 ? row.sender_jid : null };
}

export class MessageActions {
  constructor(private readonly deps: { db: Db; access: SessionAccess; metadataCache: GroupMetadataCache }) {}

  async act(command: MessageCommand, action: MessageAction, input: ActionInput = {}): Promise<ActionOutcome> {
    if (action === 'react' && !isSingleEmoji(input.emoji ?? '')) {
      throw new GatewayError('INVALID_PARAMETER', `emoji must be exactly one emoji (e.g. 👍), got "${(input.emoji ?? '').slice(0, 20)}"; use the unreaction action to remove a reaction`);
    }
    if (action === 'edit' && !input.text?.trim()) throw new GatewayError('MISSING_PARAMETER', 'message is required: the new text of the message');
    const working = await this.deps.access.working(command);
    const row = await this.stored(working, command);
    const key = keyOf(row);
    const messages = working.engine.messages;
    let actionMessageId: string | null = null;
    switch (action) {
      case 'react':
      case 'unreact':
        this.requireNotRevoked(row);
        actionMessageId = (await messages.react(key, action === 'react' ? input.emoji! : '', { id: messages.newMessageId() })).id;
        break;
      case 'edit':
        this.requireEditable(row);
        actionMessageId = (await messages.edit(key, input.text!, { id: messages.newMessageId() })).id;
        await updateMessage(this.deps.db, { sessionId: row.session_id, chat: row.chat_jid, id: row.id }, { text: input.text!, edited_at: Date.now() });
        break;
      case 'revoke':
        await this.requireRevocable(working, row);
        actionMessageId = (await messages.revoke(key, { id: messages.newMessageId() })).id;
        await updateMessage(this.deps.db, { sessionId: row.session_id, chat: row.chat_jid, id: row.id }, { revoked_at: Date.now() });
        break;
      case 'delete':
        await messages.deleteForMe(key, row.timestamp, input.deleteMedia ?? true);
        break;
      case 'star':
      case 'unstar':
        await messages.star(key, action === 'star');
        await updateMessage(this.deps.db, { sessionId: row.session_id, chat: row.chat_jid, id: row.id }, { starred: action === 'star' ? 1 : 0 });
        break;
      case 'read':
        if (!key.fromMe) await messages.read([key]);
        break;
    }
    return { sessionId: working.session.id, phone: working.phone, chat: row.chat_jid, messageId: row.id, action, actionMessageId };
  }

  /** A stored message of the session (404 MESSAGE_NOT_FOUND when the gateway never saw it). */
  async find(command: MessageCommand): Promise<MessageRow> {
    const session = await this.deps.access.find(command);
    return this.storedIn(session.id, command);
  }

  private stored(working: WorkingSession, command: MessageCommand): Promise<MessageRow> {
    return this.storedIn(working.session.id, command);
  }

  private async storedIn(sessionId: string, command: MessageCommand): Promise<MessageRow> {
    const row = await findMessage(this.deps.db, sessionId, command.messageId, command.chat);
    if (!row) {
      const where = command.chat ? ` in chat ${command.chat}` : '';
      throw new GatewayError(
        'MESSAGE_NOT_FOUND',
        `No message ${command.messageId}${where} is stored for session "${sessionId}": only messages this gateway sent or received can be acted on (check the id and the recipient)`
      );
    }
    return row;
  }

  private requireNotRevoked(row: MessageRow): void {
    if (row.revoked_at !== null) throw new GatewayError('MESSAGE_ALREADY_DELETED', `Message ${row.id} was deleted for everyone`);
  }

  private requireEditable(row: MessageRow): void {
    this.requireNotRevoked(row);
    if (row.from_me !== 1) throw new GatewayError('MESSAGE_EDIT_NOT_ALLOWED', `Message ${row.id} was sent by someone else; only your own messages can be edited`);
    if (row.type !== 'text') throw new GatewayError('MESSAGE_EDIT_NOT_ALLOWED', `Message ${row.id} is a ${row.type} message; only text messages can be edited`);
    const age = Math.floor(Date.now() / 1000) - row.timestamp;
    if (age > EDIT_WINDOW_SECONDS) throw new GatewayError('MESSAGE_EDIT_NOT_ALLOWED', `Message ${row.id} was sent ${Math.floor(age / 60)} minutes ago; WhatsApp allows edits for 15 minutes`);
  }

  private async requireRevocable(working: WorkingSession, row: MessageRow): Promise<void> {
    this.requireNotRevoked(row);
    const age = Math.floor(Date.now() / 1000) - row.timestamp;
    if (age > REVOKE_WINDOW_SECONDS) {
      throw new GatewayError('FORBIDDEN', `Message ${row.id} was sent ${Math.floor(age / 3600)} hours ago; WhatsApp deletes for everyone only within about 60 hours (use the delete action to delete it for you)`);
    }
    if (row.from_me === 1) return;
    if (!row.chat_jid.endsWith('@g.us')) throw new GatewayError('FORBIDDEN', `Message ${row.id} was sent by someone else; only your own messages can be deleted for everyone in a private chat`);
    const { isAdmin } = await membership({ ...working, metadata: this.deps.metadataCache.for(working.engine), groupId: row.chat_jid });
    if (!isAdmin) throw new GatewayError('GROUP_NOT_ADMIN', `Message ${row.id} was sent by someone else; only a group admin can delete it for everyone in ${row.chat_jid}`);
  }
}


