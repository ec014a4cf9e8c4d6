// Webhook deliveries: the log of a session filtered by event and state, each event's request body and the
// answer of every attempt, and replay.
import { useState } from 'preact/hooks';
import { call, first } from '../api';
import { useLiveEvents } from '../live';
import { useSessions } from '../sessions-api';
import { Field, LoadError, Notice, Section, Table, TextInput, Time, useAction, useLoad } from '../ui';

interface Delivery {
  id: number;
  eventId: string;
  event: string;
  url: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
}

interface Attempt { attempt: number; status: number | null; error: string | null; durationMs: number; at: number }
interface Attempts { event: { id: string; body: unknown }; attempts: Attempt[] }

const STATES = ['', 'pending', 'in_flight', 'delivered', 'failed', 'dead'];

export function DeliveriesPage() {
  const sessions = useSessions();
  const [picked, setSession] = useState('');
  const [event, setEvent] = useState('');
  const [state, setState] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const sessionId = picked || sessions.data?.[0]?.id || '';
  const log = useLoad(
    async () => (sessionId ? call<Delivery>('GET', '/session/webhooks/log', { query: { sessionId, event: event.trim(), state, limit: 200 } }) : []),
    [sessionId, event, state],
  );
  // Deliveries change with every event of the session; a short delay lets the dispatcher make its attempt.
  useLiveEvents((live) => {
    if (live.data.sessionId === sessionId) setTimeout(log.reload, 500);
  }, [sessionId]);

  return (
    <>
      <h1>Webhook deliveries</h1>
      <Section title="Filters" id="filters">
        <form class="inline" onSubmit={(e) => e.preventDefault()}>
          <Field label="Session">
            <select value={sessionId} onChange={(e) => setSession(e.currentTarget.value)} name="session">
              {(sessions.data ?? []).map((session) => <option key={session.id} value={session.id}>{session.id}</option>)}
            </select>
          </Field>
          <Field label="Event" hint="names or tags, comma-separated">
            <TextInput value={event} onInput={setEvent} name="event" />
          </Field>
          <Field label="State">
            <select value={state} onChange={(e) => setState(e.currentTarget.value)} name="state">
              {STATES.map((value) => <option key={value} value={value}>{value || 'any'}</option>)}
            </select>
          </Field>
          <button type="button" onClick={log.reload}>Refresh</button>
        </form>
      </Section>
      <Section title="Deliveries" id="deliveries">
        <LoadError error={log.error} />
        <Table caption="Deliveries, newest first">
          <thead>
            <tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col"><span class="visually-hidden">Details</span></th></tr>
          </thead>
          <tbody>
            {(log.data ?? []).map((delivery) => (
              <tr key={delivery.id} data-event={delivery.eventId}>
                <td><Time at={delivery.createdAt} /></td>
                <td>{delivery.event}</td>
                <td><span class={`badge state-${delivery.state}`}>{delivery.state}</span></td>
                <td>{delivery.attempts}</td>
                <td>{delivery.lastStatus ?? delivery.lastError ?? '—'}</td>
                <td><button type="button" aria-expanded={open === delivery.eventId} onClick={() => setOpen(open === delivery.eventId ? null : delivery.eventId)}>Details</button></td>
              </tr>
            ))}
          </tbody>
        </Table>
        {log.data?.length === 0 ? <p>No deliveries match.</p> : null}
      </Section>
      {open && sessionId ? <DeliveryDetail key={open} sessionId={sessionId} eventId={open} onReplayed={log.reload} /> : null}
    </>
  );
}

function DeliveryDetail({ sessionId, eventId, onReplayed }: { sessionId: string; eventId: string; onReplayed(): void }) {
  const detail = useLoad(() => first<Attempts>('GET', '/session/webhooks/attempts', { query: { sessionId, eventId } }), [eventId]);
  const action = useAction();
  const replay = () =>
    void action.run(async () => {
      const { requeued } = await first<{ requeued: number }>('POST', '/session/webhooks/replay', { body: { sessionId, eventId } });
      onReplayed();
      setTimeout(detail.reload, 500);
      return requeued ? 'Queued again: it is sent before the later events of its lane' : 'Nothing to replay';
    });
  return (
    <Section title={`Event ${eventId}`} id="delivery-detail">
      <LoadError error={detail.error} />
      <button type="button" onClick={replay} disabled={action.busy}>Replay</button>
      <Notice outcome={action.outcome} />
      <h3>Request body</h3>
      <pre class="json">{detail.data ? JSON.stringify(detail.data.event.body, null, 2) : ''}</pre>
      <h3>Attempts</h3>
      <Table caption="Attempts, oldest first">
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Response</th><th scope="col">Took</th></tr></thead>
        <tbody>
          {(detail.data?.attempts ?? []).map((attempt) => (
            <tr key={attempt.at + ':' + attempt.attempt}>
              <td>{attempt.attempt}</td>
              <td><Time at={attempt.at} /></td>
              <td>{attempt.status !== null ? `HTTP ${attempt.status}` : ''}{attempt.error ? ` ${attempt.error}` : ''}</td>
              <td>{attempt.durationMs} ms</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Section>
  );
}
