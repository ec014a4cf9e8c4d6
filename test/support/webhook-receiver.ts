// A webhook receiver for tests: records every delivery, verifies its signature independently, and can be
// switched to failing (503) or taken down and brought back on the same port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/events/webhook-signer.js';

export interface Delivery {
  headers: IncomingMessage['headers'];
  rawBody: string;
  body: any;
  signatureValid: boolean;
  at: number;
}

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  failWith: number | undefined;
  private server: Server | undefined;
  port = 0;

  constructor(readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(port = this.port): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (this.failWith) {
          res.writeHead(this.failWith).end();
          return;
        }
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const signatureValid = verifyWebhookSignature(rawBody, req.headers as Record<string, string>, [this.secret]);
        this.deliveries.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody), signatureValid, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  events(tag?: string): Delivery[] {
    return tag ? this.deliveries.filter((d) => d.body.event === tag) : this.deliveries;
  }
}
