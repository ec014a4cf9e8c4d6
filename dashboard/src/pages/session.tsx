// One session: its linked device, its send queue, its recent events (live), and a test send.
import { useState } from 'preact/hooks';
import { call, first } from '../api';
import { useLiveEvents, type LiveEvent } from '../live';
import { Field, LoadError, Notice, Section, Table, TextInput, Time, useAction, useLoad } from '../ui';

interface Device {
  name: string | null;
  phone: string | null;
  device: string;
  jid: string | null;
  lid: string | null;
}

interface Queue {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
}

const RECENT = 50;

export function SessionPage({ sessionId }: { sessionId: string }) {
  const query = { sessionId };
  const device = useLoad(() => first<Device>('GET', '/session/devices', { query }), [sessionId]);
  const queue = useLoad(() => first<Queue>('GET', '/session/queue', { query }), [sessionId]);
  const recent = useLoad(() => call<LiveEvent>('GET', '/events/recent', { query: { sessionId, limit: RECENT } }), [sessionId]);
  const [live, setLive] = useState<LiveEvent[]>([]);
  useLiveEvents((event) => {
    if (event.data.sessionId !== sessionId) return;
    setLive((seen) => [event, ...seen].slice(0, RECENT));
    if (event.event === 'message_status') queue.reload();
  }, [sessionId]);
  const known = new Set(live.map((event) => event.id));
  const events = [...live, ...(recent.data ?? []).filter((event) => !known.has(event.id))].slice(0, RECENT);

  return (
    <>
      <h1>Session {sessionId}</h1>
      <Section title="Linked device" id="device">
        <LoadError error={device.error} />
        {device.data ? (
          <dl class="facts">
            <dt>Name</dt><dd>{device.data.name ?? '—'}</dd>
            <dt>Number</dt><dd>{device.data.phone ?? 'not linked'}</dd>
            <dt>JID</dt><dd>{device.data.jid ?? '—'}</dd>
            <dt>LID</dt><dd>{device.data.lid ?? '—'}</dd>
          </dl>
        ) : null}
      </Section>
      <Section title="Send queue" id="queue">
        <LoadError error={queue.error} />
        {queue.data ? (
          <dl class="facts">
            <dt>Queued</dt><dd>{queue.data.queued}</dd>
            <dt>Sending</dt><dd>{queue.data.sending}</dd>
            <dt>Sent</dt><dd>{queue.data.sent}</dd>
            <dt>Failed</dt><dd>{queue.data.failed}</dd>
          </dl>
        ) : null}
      </Section>
      <TestSend sessionId={sessionId} onSent={queue.reload} />
      <Section title="Recent events" id="events">
        <LoadError error={recent.error} />
        <Table caption="Recent events">
          <thead>
            <tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Data</th></tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td><Time at={event.ts} /></td>
                <td>{event.event}</td>
                <td><code class="json">{JSON.stringify(event.data)}</code></td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
    </>
  );
}

function TestSend({ sessionId, onSent }: { sessionId: string; onSent(): void }) {
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('Hello from the Waygate dashboard');
  const action = useAction();
  const submit = action.submit(async () => {
    const sent = await first<{ messageId: string; state: string }>('POST', '/messages/send/text', { body: { sessionId, to, message } });
    onSent();
    return `Message ${sent.messageId} ${sent.state}`;
  });
  return (
    <Section title="Test send" id="test-send">
      <form onSubmit={submit}>
        <Field label="To" hint="a phone number with country code, or a JID">
          <TextInput value={to} onInput={setTo} required name="to" />
        </Field>
        <Field label="Text">
          <textarea value={message} onInput={(event) => setMessage(event.currentTarget.value)} required name="message" rows={2} />
        </Field>
        <button type="submit" disabled={action.busy}>Send</button>
        <Notice outcome={action.outcome} />
      </form>
    </Section>
  );
}
