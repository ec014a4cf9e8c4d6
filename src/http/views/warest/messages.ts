// WARest's send and message-action results (api-compat §4.3): one entry per recipient with its message id,
// `<type> success` once WhatsApp acknowledged it (or `queued` while it waits), and the advanced info.
import type { ActionOutcome, MessageAction } from '../../../core/messages/message-actions.js';
import type { SendOutcome } from '../../../core/messages/message-sends.js';
import type { AppCodeName } from '../../../core/errors.js';

const TYPE_LABELS: Record<string, string> = {
  text: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  contacts: 'contact',
  poll: 'poll',
  buttons: 'interactive button',
  list: 'interactive list'
};

export interface SendView {
  code: AppCodeName;
  message: string;
  results: unknown[];
}

const digitsOf = (jid: string) => jid.split(/[:@]/)[0] ?? jid;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `label` overrides the content type's name (a voice note is `ptt`, a GIF `gif`, files `file`). */
export function sendView(outcome: SendOutcome, label = TYPE_LABELS[outcome.type] ?? outcome.type): SendView {
  const results = outcome.recipients.map((r) => ({
    phone: outcome.phone,
    to: digitsOf(r.chat),
    toJid: r.chat,
    messageId: r.messageId,
    status: r.state === 'sent' ? `${label} success` : r.state,
    state: r.state,
    timestamp: r.timestamp,
    ...(r.error ? { error: r.error } : {}),
    sessionId: outcome.sessionId,
    advancedInfo: { isForwarded: outcome.forwarded, quotedMessageId: outcome.quotedId, mentions: outcome.mentions }
  }));
  const count = outcome.recipients.length;
  const plural = count > 1 ? ` (${count} recipients)` : '';
  const failed = outcome.recipients.filter((r) => r.state === 'failed').length;
  const queued = outcome.recipients.filter((r) => r.state === 'queued').length;
  if (failed === count) return { code: 'SEND_FAILED', message: `${capitalised(label)} message not sent${plural}: ${outcome.recipients[0]?.error ?? 'failed'}`, results };
  if (failed > 0) return { code: 'PARTIAL_SUCCESS', message: `${capitalised(label)} message sent to ${count - failed} of ${count} recipients`, results };
  if (queued > 0) return { code: 'SEND_QUEUED', message: `${capitalised(label)} message queued${plural}: it will be sent; follow it with message_status events`, results };
  return { code: 'SUCCESS', message: `${capitalised(label)} message sent${plural}`, results };
}

const ACTION_WORDS: Record<MessageAction, [status: string, message: string]> = {
  react: ['message reacted success', 'Reaction sent'],
  unreact: ['message unreacted success', 'Reaction removed'],
  edit: ['message edited success', 'Message edited'],
  revoke: ['message revoked success', 'Message revoked'],
  delete: ['message deleted success', 'Message deleted'],
  star: ['message starred success', 'Message starred'],
  unstar: ['message unstarred success', 'Message unstarred'],
  read: ['message read success', 'Message marked as read']
};

export function actionView(outcome: ActionOutcome): { message: string; result: unknown } {
  const [status, message] = ACTION_WORDS[outcome.action];
  return {
    message,
    result: {
      sessionId: outcome.sessionId,
      phone: outcome.phone,
      to: digitsOf(outcome.chat),
      toJid: outcome.chat,
      messageId: outcome.messageId,
      status,
      ...(outcome.actionMessageId ? { actionMessageId: outcome.actionMessageId } : {})
    }
  };
}
