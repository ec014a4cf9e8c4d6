// Maps incoming stanzas to handlers: IQs by `xmlns:firstChildTag` (falling back to `xmlns`), other stanzas by tag.
// Feature modules register here; the connection only knows how to call the router.
import type { BinaryNode } from 'baileys';
import type { SandboxConnection } from './connection.js';
import type { SandboxNetwork } from './network.js';
import type { Account, Companion } from './world/accounts.js';

export interface StanzaContext {
  network: SandboxNetwork;
  conn: SandboxConnection;
  companion: Companion;
  account: Account;
}

/** An IQ handler returns the result's children (and optional extra attrs), or throws IqFailure. */
export type IqAnswer = void | BinaryNode[] | { content?: BinaryNode[]; attrs?: Record<string, string> };
export type IqHandler = (ctx: StanzaContext, iq: BinaryNode) => Promise<IqAnswer> | IqAnswer;
export type StanzaHandler = (ctx: StanzaContext, stanza: BinaryNode) => Promise<void> | void;

export class IqFailure extends Error {
  constructor(
    readonly code: number,
    readonly text: string
  ) {
    super(`${code} ${text}`);
  }
}

export class StanzaRouter {
  private readonly iqs = new Map<string, IqHandler>();
  private readonly stanzas = new Map<string, StanzaHandler>();

  iq(key: string, handler: IqHandler): this {
    if (this.iqs.has(key)) throw new Error(`duplicate IQ handler ${key}`);
    this.iqs.set(key, handler);
    return this;
  }

  stanza(tag: string, handler: StanzaHandler): this {
    if (this.stanzas.has(tag)) throw new Error(`duplicate stanza handler ${tag}`);
    this.stanzas.set(tag, handler);
    return this;
  }

  static iqKeys(iq: BinaryNode): string[] {
    const xmlns = iq.attrs.xmlns ?? '';
    const first = Array.isArray(iq.content) ? iq.content[0]?.tag : undefined;
    return first ? [`${xmlns}:${first}`, xmlns] : [xmlns];
  }

  findIq(iq: BinaryNode): IqHandler | undefined {
    for (const key of StanzaRouter.iqKeys(iq)) {
      const handler = this.iqs.get(key);
      if (handler) return handler;
    }
    return undefined;
  }

  findStanza(tag: string): StanzaHandler | undefined {
    return this.stanzas.get(tag);
  }
}

export type FeatureModule = (router: StanzaRouter) => void;
