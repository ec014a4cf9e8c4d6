// A webhook receiver for latency figures: notes when each `message_received` delivery arrived (wall clock, see
// wall-clock.ts), by the message's id, and answers 200 at once. Signatures are not checked: the e2e tests do that.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil, wallMs } from './wall-clock.js';

export class WebhookArrivals {
  private readonly arrivedAt = new Map<string, number>();
  private server: Server | undefined;
  deliveries = 0;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = wallMs();
        this.deliveries++;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (body.event === 'message_received' && body.data?.messageId && !this.arrivedAt.has(body.data.messageId)) this.arrivedAt.set(body.data.messageId, at);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Resolves with the arrival time of each id's `message_received`, once all have arrived. */
  async arrivals(ids: string[], timeoutMs: number): Promise<number[]> {
    const missing = () => ids.filter((id) => !this.arrivedAt.has(id)).length;
    await pollUntil(() => (missing() === 0 ? true : undefined), { what: `${ids.length} message_received webhooks`, timeoutMs, intervalMs: 50, progress: () => `${missing()} missing; ${this.deliveries} deliveries of any event received so far` });
    return ids.map((id) => this.arrivedAt.get(id)!);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
