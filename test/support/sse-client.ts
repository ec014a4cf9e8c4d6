// A Server-Sent Events client for tests: connects with headers (an API key, Last-Event-ID), parses frames as
// they arrive and records them, and lets a test wait for the events it expects.
import { eventually } from './gateway-harness.js';

export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  /** Connects; a non-2xx answer is returned with its status and no events. */
  static async connect(url: string, headers: Record<string, string>): Promise<SseClient & { errorBody?: any }> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(response.status, abort);
    if (!response.ok) return Object.assign(client, { errorBody: await response.json() });
    void client.read(response.body!);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // closed by close()
    }
  }

  private parse(block: string): void {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(': ');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
    }
    const data = fields.get('data');
    if (data !== undefined) this.events.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(data) });
  }

  waitFor(match: (event: SseEvent) => boolean, what: string): Promise<SseEvent> {
    return eventually(() => this.events.find(match), { what });
  }

  close(): void {
    this.abort.abort();
  }
}
