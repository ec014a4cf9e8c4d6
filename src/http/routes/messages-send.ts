// The 12 send routes (WARest actions 9-20): each reads its content in WARest's fields, and hands the same send
// input (recipients, reply, forward, presence, async, idempotency) to the one core send. Media fields take a URL,
// a data URI (what the n8n node sends for binary data) or an allow-listed server path.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import type { SendOutcome } from '../../core/messages/message-sends.js';
import type { ContactCard, ContentDraft, MediaDraft, MediaDraftKind } from '../../core/messages/send-content.js';
import type { OutboundButton, OutboundListSection } from '../../engine/types.js';
import { sessionCommand } from '../commands.js';
import { field } from '../credentials.js';
import { readString, type RequestParts } from '../params.js';
import { actionRoute, type ApiOperation } from '../route-table.js';
import { sendView } from '../views/warest/messages.js';
import { readFlag, sendFields, sendInput, TEXT, type MessageRoutesContext } from './messages-http.js';

const ANY = {} as const;
const FLAG = { type: ['boolean', 'string', 'number'] } as const;
const MEDIA_SOURCE = { type: 'string', description: 'an http(s) URL, a data URI (data:<mime>;base64,…) or a path inside WAYGATE_MEDIA_LOCAL_DIRS' } as const;

function read(parts: RequestParts, key: string): unknown {
  return field(parts.body, key) ?? field(parts.query, key);
}

/** A structured field sent as JSON or as a JSON string (form posts, n8n expressions). */
function structured(parts: RequestParts, key: string): unknown {
  const raw = read(parts, key);
  if (typeof raw !== 'string') return raw;
  const trimmed = raw.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return raw;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new GatewayError('INVALID_PARAMETER', `${key} is not valid JSON`);
  }
}

function requiredString(parts: RequestParts, keys: readonly string[], hint: string): string {
  const value = readString(parts, keys);
  if (value === undefined) throw new GatewayError('MISSING_PARAMETER', `${keys[0]} is required: ${hint}`);
  return value;
}

function finiteNumber(value: unknown, name: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new GatewayError('INVALID_PARAMETER', `${name} must be a number`);
  return number;
}

function mediaDraft(request: FastifyRequest, type: MediaDraftKind, key: string, extra: Partial<MediaDraft> = {}): MediaDraft {
  const source = requiredString(request, [key], `${MEDIA_SOURCE.description}`);
  const caption = readString(request, ['caption']);
  const fileName = readString(request, ['filename', 'fileName']);
  const viewOnce = readFlag(request, ['viewOnce']);
  const compress = readFlag(request, ['compress']);
  return { type, source, field: key, ...(caption ? { caption } : {}), ...(fileName ? { fileName } : {}), ...(viewOnce ? { viewOnce } : {}), ...(compress ? { compress } : {}), ...extra };
}

function location(request: FastifyRequest): ContentDraft {
  const given = structured(request, 'location');
  const source = (given && typeof given === 'object' ? given : request.body) as Record<string, unknown> | undefined;
  const latitude = source?.latitude ?? source?.lat;
  const longitude = source?.longitude ?? source?.lng ?? source?.long;
  if (latitude === undefined || longitude === undefined) throw new GatewayError('MISSING_PARAMETER', 'location is required: {latitude, longitude, name?, address?}');
  const name = typeof source?.name === 'string' ? source.name : undefined;
  const address = typeof source?.address === 'string' ? source.address : undefined;
  return { type: 'location', latitude: finiteNumber(latitude, 'location.latitude'), longitude: finiteNumber(longitude, 'location.longitude'), ...(name ? { name } : {}), ...(address ? { address } : {}) };
}

function contactCards(request: FastifyRequest): ContentDraft {
  const given = structured(request, 'contact') ?? structured(request, 'contacts');
  const entries = Array.isArray(given) ? given : given === undefined ? [] : [given];
  if (entries.length === 0) throw new GatewayError('MISSING_PARAMETER', 'contact is required: {name or fullName, phone, organization?, email?}');
  const cards = entries.map((entry, i): ContactCard => {
    if (!entry || typeof entry !== 'object') throw new GatewayError('INVALID_PARAMETER', `contact${entries.length > 1 ? `[${i}]` : ''} must be an object {name, phone}`);
    const e = entry as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
    const name = text(e.fullName) ?? text(e.name) ?? '';
    return { name, phone: text(e.phone) ?? text(e.number) ?? '', ...(text(e.organization) ? { organization: text(e.organization)! } : {}), ...(text(e.email) ? { email: text(e.email)! } : {}) };
  });
  return { type: 'contact', contacts: cards };
}

function pollOptions(request: FastifyRequest): string[] {
  const raw = structured(request, 'options');
  if (raw === undefined || raw === null || raw === '') throw new GatewayError('MISSING_PARAMETER', 'options is required: 2 to 12 answers');
  const list = Array.isArray(raw) ? raw : String(raw).split(/[,;\n]+/);
  return list.map((option, i) => {
    if (typeof option !== 'string' && typeof option !== 'number') throw new GatewayError('POLL_INVALID', `options[${i}] must be a text`);
    return String(option).trim();
  });
}

function buttonList(request: FastifyRequest): OutboundButton[] {
  const raw = structured(request, 'buttons');
  if (!Array.isArray(raw)) throw new GatewayError('MISSING_PARAMETER', 'buttons is required: an array of {type: reply|url|call|copy, displayText, id?, url?, phoneNumber?, copyCode?}');
  return raw.map((entry, i) => {
    if (!entry || typeof entry !== 'object') throw new GatewayError('INVALID_PARAMETER', `buttons[${i}] must be an object`);
    const e = entry as Record<string, unknown>;
    const type = (typeof e.type === 'string' ? e.type : 'reply').toLowerCase();
    if (!['reply', 'url', 'call', 'copy'].includes(type)) throw new GatewayError('INVALID_PARAMETER', `buttons[${i}].type must be reply, url, call or copy`);
    const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const button: OutboundButton = { type: type as OutboundButton['type'], displayText: str(e.displayText) ?? str(e.text) ?? '' };
    for (const key of ['id', 'url', 'phoneNumber', 'copyCode'] as const) if (str(e[key])) button[key] = str(e[key])!;
    return button;
  });
}

function listContent(request: FastifyRequest, text: string): ContentDraft {
  const raw = structured(request, 'list');
  const list = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const sectionsRaw = list.sections ?? structured(request, 'sections');
  if (!Array.isArray(sectionsRaw)) throw new GatewayError('LIST_FORMAT_INVALID', 'list.sections is required: [{title, rows: [{id, title, description?}]}]');
  const sections: OutboundListSection[] = sectionsRaw.map((s, i) => {
    const section = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
    const rows = Array.isArray(section.rows) ? section.rows : [];
    return {
      title: typeof section.title === 'string' ? section.title : `Section ${i + 1}`,
      rows: rows.map((r) => {
        const row = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
        const str = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
        return { id: str(row.id), title: str(row.title), ...(str(row.description) ? { description: str(row.description) } : {}) };
      })
    };
  });
  const buttonText = (typeof list.buttonText === 'string' ? list.buttonText : readString(request, ['buttonText'])) ?? '';
  const footer = readString(request, ['footer']);
  const title = typeof list.title === 'string' ? list.title : readString(request, ['title']);
  return { type: 'list', text, buttonText, sections, ...(footer ? { footer } : {}), ...(title ? { title } : {}) };
}

interface SendRoute {
  operation: ApiOperation;
  fields: Record<string, unknown>;
  content(request: FastifyRequest): ContentDraft;
  /** the presence state shown by default when `presence` is just true */
  presence?: 'composing' | 'recording';
  /** the type name in the answer, when the content type alone does not say it */
  label?(request: FastifyRequest, outcome: SendOutcome): string | undefined;
}

const SEND_ROUTES: SendRoute[] = [
  {
    operation: 'sendText',
    fields: { message: { type: 'string', description: 'the text; alias text' }, text: TEXT, jid: TEXT, target: TEXT, number: ANY, replyId: TEXT, forwarded: FLAG },
    content: (request) => ({ type: 'text', text: readString(request, ['message', 'text']) ?? '' })
  },
  {
    operation: 'sendMedia',
    fields: { media: MEDIA_SOURCE, caption: TEXT, compress: FLAG, viewOnce: FLAG },
    content: (request) => mediaDraft(request, 'media', 'media')
  },
  {
    operation: 'sendDocument',
    fields: { document: MEDIA_SOURCE, caption: TEXT, filename: TEXT, fileName: TEXT },
    content: (request) => mediaDraft(request, 'document', 'document')
  },
  {
    operation: 'sendAudio',
    fields: { audio: MEDIA_SOURCE, isVN: { ...FLAG, description: 'send as a voice note (converted to OGG/Opus)' } },
    content: (request) => mediaDraft(request, 'audio', 'audio', { voiceNote: readFlag(request, ['isVN', 'ptt']) ?? false }),
    presence: 'recording',
    label: (request) => (readFlag(request, ['isVN', 'ptt']) ? 'ptt' : undefined)
  },
  {
    operation: 'sendGif',
    fields: { gif: MEDIA_SOURCE, caption: TEXT },
    content: (request) => mediaDraft(request, 'gif', 'gif'),
    label: () => 'gif'
  },
  {
    operation: 'sendSticker',
    fields: { sticker: MEDIA_SOURCE },
    content: (request) => mediaDraft(request, 'sticker', 'sticker')
  },
  {
    operation: 'sendButton',
    fields: { text: TEXT, footer: TEXT, buttons: { type: ['array', 'string'], description: 'up to 3 {type: reply|url|call|copy, displayText, id?, url?, phoneNumber?, copyCode?}' }, image: TEXT },
    content: (request) => ({ type: 'buttons', text: readString(request, ['text', 'message']) ?? '', buttons: buttonList(request), ...(readString(request, ['footer']) ? { footer: readString(request, ['footer'])! } : {}) })
  },
  {
    operation: 'sendList',
    fields: { text: TEXT, footer: TEXT, title: TEXT, buttonText: TEXT, list: { type: ['object', 'string'], description: '{buttonText, sections: [{title, rows: [{id, title, description?}]}]}' }, sections: ANY, image: TEXT },
    content: (request) => listContent(request, readString(request, ['text', 'message']) ?? '')
  },
  {
    operation: 'sendLocation',
    fields: { location: { type: ['object', 'string'], description: '{latitude, longitude, name?, address?}' }, latitude: ANY, longitude: ANY, name: TEXT, address: TEXT },
    content: location
  },
  {
    operation: 'sendPoll',
    fields: { question: TEXT, options: { type: ['array', 'string'], description: '2 to 12 distinct answers' }, maxSelection: { type: ['integer', 'string'], description: 'how many answers one person may pick (0: any number; default 1)' } },
    content: (request) => {
      const max = read(request, 'maxSelection');
      return { type: 'poll', question: readString(request, ['question', 'name']) ?? '', options: pollOptions(request), ...(max !== undefined && max !== '' ? { maxSelection: Number(max) } : {}) };
    }
  },
  {
    operation: 'sendContact',
    fields: { contact: { type: ['object', 'array', 'string'], description: '{name or fullName, phone, organization?, email?}, or several' }, contacts: ANY },
    content: contactCards
  }
];

export function registerSendRoutes(app: FastifyInstance, context: MessageRoutesContext): void {
  for (const route of SEND_ROUTES) {
    app.route(
      actionRoute(route.operation, {
        bodyLimit: context.mediaBodyLimitBytes,
        schema: { body: sendFields(route.fields) },
        handler: async (request, reply) => {
          const input = sendInput(request, context, route.content(request), route.presence);
          const outcome = await context.sends.send(sessionCommand(request, 'messages'), input);
          const view = sendView(outcome, route.label?.(request, outcome));
          return reply.envelope(view.code, view.message, view.results);
        }
      })
    );
  }
  registerSendFiles(app, context);
}

/** send/files: each file to each recipient, one core send per file (images, videos and audio as such, the rest as documents). */
function registerSendFiles(app: FastifyInstance, context: MessageRoutesContext): void {
  app.route(
    actionRoute('sendFiles', {
      bodyLimit: context.mediaBodyLimitBytes,
      schema: { body: sendFields({ files: { type: ['array', 'string'], description: '[{file, filename?, caption?, replyMessageId?}]' }, caption: TEXT }) },
      handler: async (request, reply) => {
        const raw = structured(request, 'files');
        if (!Array.isArray(raw) || raw.length === 0) throw new GatewayError('MISSING_PARAMETER', 'files is required: [{file, filename?, caption?}]');
        const files = raw.map((entry, i) => {
          const e = (entry && typeof entry === 'object' ? entry : { file: entry }) as Record<string, unknown>;
          if (typeof e.file !== 'string' || e.file === '') throw new GatewayError('MISSING_PARAMETER', `files[${i}].file is required: ${MEDIA_SOURCE.description}`);
          return e;
        });
        const command = sessionCommand(request, 'messages');
        const outcomes: SendOutcome[] = [];
        for (const [i, file] of files.entries()) {
          const draft: MediaDraft = {
            type: 'file',
            source: file.file as string,
            field: `files[${i}].file`,
            ...(typeof file.caption === 'string' ? { caption: file.caption } : {}),
            ...(typeof file.filename === 'string' ? { fileName: file.filename } : {})
          };
          const input = sendInput(request, context, draft);
          const replyTo = typeof file.replyMessageId === 'string' ? file.replyMessageId : input.replyTo;
          outcomes.push(
            await context.sends.send(command, {
              ...input,
              ...(replyTo ? { replyTo } : {}),
              ...(input.idempotencyKey ? { idempotencyKey: `${input.idempotencyKey}#${i}` } : {}),
              fingerprint: `${input.fingerprint}#${i}`
            })
          );
        }
        const merged: SendOutcome = { ...outcomes[0]!, recipients: outcomes.flatMap((o) => o.recipients) };
        const view = sendView(merged, files.length > 1 ? 'files' : 'file');
        return reply.envelope(view.code, view.message, view.results);
      }
    })
  );
}
