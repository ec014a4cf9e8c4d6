// Buttons and lists. Baileys 7 rc14 builds neither: generateWAMessageContent has no branch for `buttons`,
// `templateButtons`, `sections` or `interactive` (only the replies to them), so sendMessage would take such content
// for media and fail. What WhatsApp clients render today is an `interactiveMessage` with native-flow buttons
// (quick_reply, cta_url, cta_call, cta_copy; a list is one `single_select` button whose parameters are the
// sections), sent with a `<biz>` node that tells the server it is a native-flow message.
import type { BinaryNode, proto } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { OutboundButton, OutboundContent } from '../types.js';

type Buttons = Extract<OutboundContent, { type: 'buttons' }>;
type List = Extract<OutboundContent, { type: 'list' }>;

/** `<biz><interactive type="native_flow" v="1"><native_flow v="9" name="mixed"/></interactive></biz>` */
export const NATIVE_FLOW_NODE: BinaryNode = {
  tag: 'biz',
  attrs: {},
  content: [{ tag: 'interactive', attrs: { type: 'native_flow', v: '1' }, content: [{ tag: 'native_flow', attrs: { v: '9', name: 'mixed' } }] }]
};

function filled(value: string | undefined, argument: string): string {
  if (!value?.trim()) throw new EngineInvalidArgumentError(argument, 'must not be empty');
  return value;
}

function nativeFlowButton(button: OutboundButton, index: number): proto.Message.InteractiveMessage.NativeFlowMessage.INativeFlowButton {
  const at = `buttons[${index}]`;
  const display_text = filled(button.displayText, `${at}.displayText`);
  const flow = (name: string, params: Record<string, string>) => ({ name, buttonParamsJson: JSON.stringify({ display_text, ...params }) });
  switch (button.type) {
    case 'reply':
      return flow('quick_reply', { id: filled(button.id, `${at}.id`) });
    case 'url': {
      const url = filled(button.url, `${at}.url`);
      return flow('cta_url', { url, merchant_url: url });
    }
    case 'call':
      return flow('cta_call', { phone_number: filled(button.phoneNumber, `${at}.phoneNumber`) });
    case 'copy':
      return flow('cta_copy', { copy_code: filled(button.copyCode, `${at}.copyCode`) });
    default:
      throw new EngineInvalidArgumentError(`${at}.type`, 'must be reply, url, call or copy');
  }
}

function interactive(text: string, footer: string | undefined, title: string | undefined, buttons: proto.Message.InteractiveMessage.NativeFlowMessage.INativeFlowButton[]): proto.IMessage {
  return {
    interactiveMessage: {
      ...(title ? { header: { title, hasMediaAttachment: false } } : {}),
      body: { text: filled(text, 'text') },
      ...(footer ? { footer: { text: footer } } : {}),
      nativeFlowMessage: { buttons, messageVersion: 1 }
    }
  };
}

export function buttonsMessage({ text, footer, buttons }: Buttons): proto.IMessage {
  if (!buttons.length) throw new EngineInvalidArgumentError('buttons', 'must have at least one button');
  return interactive(text, footer, undefined, buttons.map(nativeFlowButton));
}

export function listMessage({ text, footer, title, buttonText, sections }: List): proto.IMessage {
  if (!sections.length) throw new EngineInvalidArgumentError('sections', 'must have at least one section');
  const params = {
    title: filled(buttonText, 'buttonText'),
    sections: sections.map((section, s) => {
      if (!section.rows.length) throw new EngineInvalidArgumentError(`sections[${s}].rows`, 'must have at least one row');
      return {
        title: section.title,
        rows: section.rows.map((row, r) => ({
          id: filled(row.id, `sections[${s}].rows[${r}].id`),
          title: filled(row.title, `sections[${s}].rows[${r}].title`),
          ...(row.description ? { description: row.description } : {})
        }))
      };
    })
  };
  return interactive(text, footer, title, [{ name: 'single_select', buttonParamsJson: JSON.stringify(params) }]);
}
