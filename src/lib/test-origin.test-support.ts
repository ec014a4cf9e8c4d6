// Test support for outbound requests: a scripted HTTP server on 127.0.0.1 that records what reached it, and a
// fake public network (a resolver stub plus a connect override) that lets a "public" name land on that server.
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resolver } from './outbound-target.js';

/** What the stub resolver answers for every name; outside all denied ranges. */
export const PUBLIC_ADDRESS = '93.184.216.34';

export interface Hit {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class TestOrigin {
  readonly hits: Hit[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** `routes` maps a path to its handler; other paths answer 404. */
  static async start(routes: Record<string, RequestListener>): Promise<TestOrigin> {
    const origin: TestOrigin = new TestOrigin(
      createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const path = req.url ?? '/';
        origin.hits.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const route = routes[path.split('?')[0]!];
        if (route) route(req, res);
        else res.writeHead(404).end('no such page on the internal test origin');
      }),
    );
    await new Promise<void>((resolve) => origin.#server.listen(0, '127.0.0.1', resolve));
    return origin;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The same server reached through a name of the fake public network. */
  publicUrl(path: string, host = 'public.example'): string {
    return `http://${host}:${this.port}${path}`;
  }

  loopbackUrl(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  paths(): string[] {
    return this.hits.map((hit) => hit.path);
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/**
 * A resolver whose first answer for a name is PUBLIC_ADDRESS and every later one `rebindTo` (a DNS rebinding
 * attacker), and a connect override that dials 127.0.0.1 for PUBLIC_ADDRESS, recording what it was asked to dial.
 */
export function fakePublicNetwork(rebindTo = '127.0.0.1') {
  const lookups: string[] = [];
  const dialled: string[] = [];
  const lookup: Resolver = async (hostname) => {
    const address = lookups.includes(hostname) ? rebindTo : PUBLIC_ADDRESS;
    lookups.push(hostname);
    return [{ address, family: 4 }];
  };
  const connectOverride = (address: string) => {
    dialled.push(address);
    return address === PUBLIC_ADDRESS ? '127.0.0.1' : address;
  };
  return { lookup, connectOverride, lookups, dialled };
}
