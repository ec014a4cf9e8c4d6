// What the simulated phones of an engine sandbox received and sent, read through its control API: for engine
// tests that check at the recipient what a session sent.
import type { EngineSandbox } from './engine-sandbox.js';

/** A phone's message as the sandbox shows it: `message` is the decrypted proto as JSON (enums as names). */
export interface PhoneMessage {
  id: string;
  from: string;
  chat: string;
  text?: string;
  fromMe: boolean;
  type: string;
  message: Record<string, any>;
  media?: { mimetype?: string; size?: number; sha256?: string; error?: string };
  receipts: { type: string; from: string }[];
  /** how many times this id arrived from its sending device */
  copies: number;
}

export async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The phones of the sandbox `net()` returns (read when called: a fixture sets it up in `before`). */
export function sandboxPhones(net: () => EngineSandbox) {
  const inbox = async (phone: string) => (await net().ok<{ messages: PhoneMessage[] }>('GET', `/sandbox/v1/accounts/${phone}/messages`)).messages;
  return {
    inbox,
    phoneSends: (phone: string, body: Record<string, unknown>) => net().ok<{ id: string }>('POST', `/sandbox/v1/accounts/${phone}/messages`, body),
    /** What `phone` has under `id`, once it arrived. */
    atPhone: (phone: string, id: string) => eventually(async () => (await inbox(phone)).find((m) => m.id === id)),
    /** How many `<message id>` stanzas the devices of `phone`'s account sent the server. */
    async messageStanzas(phone: string, id: string): Promise<number> {
      const { stanzas } = await net().ok<{ stanzas: { direction: string; stanza: { tag: string; attrs: Record<string, string> } }[] }>('GET', `/sandbox/v1/stanzas?device=${phone}&limit=20000`);
      return stanzas.filter((s) => s.direction === 'in' && s.stanza.tag === 'message' && s.stanza.attrs.id === id).length;
    }
  };
}
