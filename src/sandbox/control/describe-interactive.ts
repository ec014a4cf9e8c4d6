// What a phone makes of buttons and lists. Baileys 7 rc14 has no builder for either (sendMessage drops
// `buttons`, `templateButtons` and `sections`), so a sender hand-builds one of the protos below and relays
// it; each is read into one shape whatever the wire form, which stays visible as `format`.
import type { proto } from 'baileys';

export type Button =
  | { type: 'reply'; id: string; text: string }
  | { type: 'url'; text: string; url: string }
  | { type: 'call'; text: string; phoneNumber: string }
  | { type: 'copy'; text: string; code: string }
  | { type: 'nativeFlow'; name: string; params: unknown };

export interface ButtonsSummary {
  format: 'buttonsMessage' | 'templateMessage' | 'interactiveMessage';
  title?: string;
  text?: string;
  footer?: string;
  buttons: Button[];
}

export interface ListSummary {
  format: 'listMessage' | 'interactiveMessage';
  title?: string;
  text?: string;
  footer?: string;
  /** the label of the button that opens the list */
  buttonText?: string;
  sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
}

export type InteractiveSummary = { kind: 'buttons'; buttons: ButtonsSummary } | { kind: 'list'; list: ListSummary };

const orUndefined = (value: string | null | undefined): string | undefined => value ?? undefined;

function parseJson(json: string | null | undefined): Record<string, any> {
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, any>) : {};
  } catch {
    return { unparsable: json };
  }
}

/** Native-flow buttons by name, with the parameters WhatsApp defines for the common ones. */
function nativeFlowButton(name: string, paramsJson: string | null | undefined): Button {
  const params = parseJson(paramsJson);
  const text = String(params.display_text ?? '');
  if (name === 'quick_reply') return { type: 'reply', id: String(params.id ?? ''), text };
  if (name === 'cta_url') return { type: 'url', text, url: String(params.url ?? '') };
  if (name === 'cta_call') return { type: 'call', text, phoneNumber: String(params.phone_number ?? '') };
  if (name === 'cta_copy') return { type: 'copy', text, code: String(params.copy_code ?? '') };
  return { type: 'nativeFlow', name, params };
}

function buttonsMessage(message: proto.Message.IButtonsMessage): ButtonsSummary {
  return {
    format: 'buttonsMessage',
    title: orUndefined(message.text),
    text: orUndefined(message.contentText),
    footer: orUndefined(message.footerText),
    buttons: (message.buttons ?? []).map((button) =>
      button.nativeFlowInfo
        ? nativeFlowButton(button.nativeFlowInfo.name ?? '', button.nativeFlowInfo.paramsJson)
        : { type: 'reply', id: button.buttonId ?? '', text: button.buttonText?.displayText ?? '' }
    )
  };
}

function hydratedButton(button: proto.IHydratedTemplateButton): Button {
  if (button.urlButton) return { type: 'url', text: button.urlButton.displayText ?? '', url: button.urlButton.url ?? '' };
  if (button.callButton) return { type: 'call', text: button.callButton.displayText ?? '', phoneNumber: button.callButton.phoneNumber ?? '' };
  return { type: 'reply', id: button.quickReplyButton?.id ?? '', text: button.quickReplyButton?.displayText ?? '' };
}

function hydratedTemplate(template: proto.Message.TemplateMessage.IHydratedFourRowTemplate): ButtonsSummary {
  return {
    format: 'templateMessage',
    title: orUndefined(template.hydratedTitleText),
    text: orUndefined(template.hydratedContentText),
    footer: orUndefined(template.hydratedFooterText),
    buttons: (template.hydratedButtons ?? []).map(hydratedButton)
  };
}

function listMessage(message: proto.Message.IListMessage): ListSummary {
  return {
    format: 'listMessage',
    title: orUndefined(message.title),
    text: orUndefined(message.description),
    footer: orUndefined(message.footerText),
    buttonText: orUndefined(message.buttonText),
    sections: (message.sections ?? []).map((section) => ({
      title: orUndefined(section.title),
      rows: (section.rows ?? []).map((row) => ({ id: row.rowId ?? '', title: row.title ?? '', description: orUndefined(row.description) }))
    }))
  };
}

/** A native-flow message is a list when its one button is a `single_select` (the list's sections are its parameters). */
function interactiveMessage(message: proto.Message.IInteractiveMessage): InteractiveSummary | undefined {
  const flow = message.nativeFlowMessage;
  if (!flow) return undefined;
  const common = { title: orUndefined(message.header?.title), text: orUndefined(message.body?.text), footer: orUndefined(message.footer?.text) };
  const [only, ...others] = flow.buttons ?? [];
  if (only?.name === 'single_select' && !others.length) {
    const params = parseJson(only.buttonParamsJson);
    const sections = Array.isArray(params.sections) ? params.sections : [];
    return {
      kind: 'list',
      list: {
        format: 'interactiveMessage',
        ...common,
        buttonText: params.title === undefined ? undefined : String(params.title),
        sections: sections.map((section: Record<string, any>) => ({
          title: section.title === undefined ? undefined : String(section.title),
          rows: (Array.isArray(section.rows) ? section.rows : []).map((row: Record<string, any>) => ({
            id: String(row.id ?? ''),
            title: String(row.title ?? ''),
            description: row.description === undefined ? undefined : String(row.description)
          }))
        }))
      }
    };
  }
  return { kind: 'buttons', buttons: { format: 'interactiveMessage', ...common, buttons: (flow.buttons ?? []).map((b) => nativeFlowButton(b.name ?? '', b.buttonParamsJson)) } };
}

/** Buttons or a list in a message's normalized content, if it carries either in a form a phone reads. */
export function describeInteractive(content: proto.IMessage): InteractiveSummary | undefined {
  if (content.buttonsMessage) return { kind: 'buttons', buttons: buttonsMessage(content.buttonsMessage) };
  if (content.listMessage) return { kind: 'list', list: listMessage(content.listMessage) };
  if (content.interactiveMessage) return interactiveMessage(content.interactiveMessage);
  const template = content.templateMessage;
  if (template?.interactiveMessageTemplate) return interactiveMessage(template.interactiveMessageTemplate);
  const hydrated = template?.hydratedTemplate ?? template?.hydratedFourRowTemplate;
  return hydrated ? { kind: 'buttons', buttons: hydratedTemplate(hydrated) } : undefined;
}
