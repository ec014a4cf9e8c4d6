// Test support: a real HTTP webhook receiver on 127.0.0.1 that records requests and answers as scripted,
// and can go down and come back on the same port.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedRequest {
  body: string;
  headers: IncomingHttpHeaders;
  json: { event: string; data: Record<string, unknown>; ts: number; session: Record<string, string> };
  at: number;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  /** answered only once this settles (then after delayMs) */
  until?: Promise<unknown>;
}

export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Decides each reply; receives the 0-based index of the request. Default: 200. */
  reply: (request: ReceivedRequest, index: number) => ScriptedReply = () => ({ status: 200 });
  /** Most requests ever being answered at the same time. */
  maxConcurrent = 0;
  #active = 0;
  #server: Server;
  #port = 0;

  private constructor() {
    this.#server = this.#createServer();
  }

  static async start(): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  /** Listens again on the same port after `down()`. */
  async up(): Promise<void> {
    if (this.#server.listening) return;
    this.#server = this.#createServer();
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  eventIds(): string[] {
    return this.requests.map((request) => String(request.headers['x-warest-event-id']));
  }

  #createServer(): Server {
    return createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = { body, headers: req.headers, json: JSON.parse(body), at: Date.now() };
      const index = this.requests.push(request) - 1;
      const reply = this.reply(request, index);
      this.maxConcurrent = Math.max(this.maxConcurrent, ++this.#active);
      await reply.until;
      if (reply.delayMs) await sleep(reply.delayMs);
      this.#active -= 1;
      res.writeHead(reply.status, reply.headers).end();
    });
  }
}

/** Polls `check` until it returns true; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
