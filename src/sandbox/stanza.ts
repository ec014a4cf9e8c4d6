// Small pure helpers for building and reading WhatsApp binary nodes on the server side.
import { randomBytes } from 'node:crypto';
import { getBinaryNodeChildren, type BinaryNode } from 'baileys';

export type Attrs = Record<string, string>;

export function node(tag: string, attrs: Attrs = {}, content?: BinaryNode[] | Buffer | Uint8Array | string): BinaryNode {
  return content === undefined ? { tag, attrs } : { tag, attrs, content };
}

export function children(parent: BinaryNode | undefined): BinaryNode[] {
  return parent && Array.isArray(parent.content) ? parent.content : [];
}

export function child(parent: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return children(parent).find((c) => c.tag === tag);
}

export function childrenNamed(parent: BinaryNode | undefined, tag: string): BinaryNode[] {
  return parent ? getBinaryNodeChildren(parent, tag) : [];
}

/** Content as bytes: the codec returns strings for some byte runs (tokens, hex, numbers) and Buffers for others. */
export function contentBytes(n: BinaryNode | undefined): Buffer | undefined {
  if (!n || n.content === undefined || Array.isArray(n.content)) return undefined;
  return typeof n.content === 'string' ? Buffer.from(n.content, 'utf8') : Buffer.from(n.content as Uint8Array);
}

export function contentText(n: BinaryNode | undefined): string | undefined {
  return contentBytes(n)?.toString('utf8');
}

export function uint(bytes: Buffer | undefined): number {
  if (!bytes) return 0;
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

export function bigEndian(value: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
}

export function unixNow(): string {
  return String(Math.floor(Date.now() / 1000));
}

export function stanzaId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function iqResult(iq: BinaryNode, content?: BinaryNode[], attrs: Attrs = {}): BinaryNode {
  return node('iq', { from: iq.attrs.to ?? 's.whatsapp.net', type: 'result', id: iq.attrs.id ?? '', ...attrs }, content);
}

export function iqError(iq: BinaryNode, code: number, text: string): BinaryNode {
  return node('iq', { from: iq.attrs.to ?? 's.whatsapp.net', type: 'error', id: iq.attrs.id ?? '' }, [
    node('error', { code: String(code), text })
  ]);
}

/**
 * Children shown per node. A pre-key upload carries 812 keys: recorded whole, each linked device cost the recorder
 * about 0.2 MB, and at a thousand links its 20,000 stanzas grew the sandbox's heap to most of a GB, whose
 * collections held up every client's traffic.
 */
const SHOWN_CHILDREN = 16;

/**
 * A readable, JSON-safe copy of a node for the stanza recorder: binary content as truncated hex, long child lists
 * cut to their first SHOWN_CHILDREN with the rest counted in `omittedChildren`.
 */
export function nodeToJson(n: BinaryNode): unknown {
  const out: Record<string, unknown> = { tag: n.tag, attrs: n.attrs };
  if (Array.isArray(n.content)) {
    out.content = n.content.slice(0, SHOWN_CHILDREN).map(nodeToJson);
    if (n.content.length > SHOWN_CHILDREN) out.omittedChildren = n.content.length - SHOWN_CHILDREN;
  } else if (typeof n.content === 'string') out.content = n.content;
  else if (n.content) {
    const bytes = Buffer.from(n.content as Uint8Array);
    out.content = { bytes: bytes.length, hex: bytes.subarray(0, 64).toString('hex') };
  }
  return out;
}
