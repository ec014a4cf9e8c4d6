// The dashboard's live updates: one Server-Sent Events stream (GET /api/v1/events/stream) read with fetch,
// because EventSource cannot send the API key header. On a drop it reconnects with Last-Event-ID, so no event
// is missed, and hands every event to the components listening.
import { useEffect, useState } from 'preact/hooks';
import { authHeaders } from './credentials';

export interface LiveEvent {
  id: string;
  /** WARest tag, e.g. session_status */
  event: string;
  data: Record<string, unknown> & { sessionId: string };
  ts: number;
}

export type LiveState = 'connecting' | 'live' | 'offline';

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(state: LiveState) => void>();
let state: LiveState = 'connecting';
let lastEventId: string | null = null;
let abort: AbortController | null = null;
const RECONNECT_MS = 2000;

function setState(next: LiveState): void {
  state = next;
  for (const listener of stateListeners) listener(next);
}

function dispatch(block: string): void {
  let id: string | null = null;
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trimStart();
  }
  if (!data) return;
  if (id) lastEventId = id;
  const event = { id: id ?? '', ...(JSON.parse(data) as Omit<LiveEvent, 'id'>) };
  for (const listener of listeners) listener(event);
}

async function connect(signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch('/api/v1/events/stream', { headers, signal });
  // A resume point the log no longer has: follow from now.
  if (response.status === 400 && lastEventId) lastEventId = null;
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  setState('live');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

/** Starts the stream (once signed in) and keeps it up until stopLive(). */
export function startLive(): void {
  if (abort) return;
  const controller = new AbortController();
  abort = controller;
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        await connect(controller.signal);
      } catch {
        // reconnect below
      }
      if (controller.signal.aborted) return;
      setState('offline');
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  })();
}

export function stopLive(): void {
  abort?.abort();
  abort = null;
  lastEventId = null;
  setState('connecting');
}

/** Calls `listener` for every live event while the component is mounted. */
export function useLiveEvents(listener: Listener, deps: unknown[]): void {
  useEffect(() => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, deps);
}

export function useLiveState(): LiveState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    stateListeners.add(setCurrent);
    return () => void stateListeners.delete(setCurrent);
  }, []);
  return current;
}
