// Sessions: every session with its live status; create and link one (QR that follows WhatsApp's rotation, or a
// pairing code); reconnect, log out, delete; webhook settings with a preflight test; rotate the access token.
import { useEffect, useState } from 'preact/hooks';
import { call, first, imageUrl } from '../api';
import { useLiveEvents } from '../live';
import { phoneOf, useSessions, type SessionItem } from '../sessions-api';
import { Field, LoadError, Notice, Section, StatusBadge, Table, TextInput, Time, useAction } from '../ui';

type Panel = { kind: 'link' | 'webhook'; sessionId: string } | null;

export function SessionsPage() {
  const sessions = useSessions();
  const [panel, setPanel] = useState<Panel>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  return (
    <>
      <h1>Sessions</h1>
      <CreateSession
        onCreated={(sessionId, accessToken) => {
          if (accessToken) setSecret({ label: `Access token of ${sessionId} (shown once)`, value: accessToken });
          setPanel({ kind: 'link', sessionId });
          sessions.reload();
        }}
      />
      {secret ? <ShownOnce {...secret} onDone={() => setSecret(null)} /> : null}
      {panel?.kind === 'link' ? <LinkPanel sessionId={panel.sessionId} onClose={() => setPanel(null)} /> : null}
      {panel?.kind === 'webhook' ? <WebhookPanel sessionId={panel.sessionId} onClose={() => setPanel(null)} /> : null}
      <Section title="All sessions" id="all-sessions">
        <LoadError error={sessions.error} />
        <Table caption="Sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Status</th>
              <th scope="col">Number</th>
              <th scope="col">Last connected</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(sessions.data ?? []).map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                onPanel={setPanel}
                onToken={(value) => setSecret({ label: `New access token of ${session.id} (shown once)`, value })}
                onChanged={sessions.reload}
              />
            ))}
          </tbody>
        </Table>
        {sessions.data?.length === 0 ? <p>No sessions yet: create one above.</p> : null}
      </Section>
    </>
  );
}

function CreateSession({ onCreated }: { onCreated(sessionId: string, accessToken: string | null): void }) {
  const [sessionId, setSessionId] = useState('');
  const action = useAction();
  const submit = action.submit(async () => {
    const created = await first<{ sessionId: string; accessToken?: string }>('GET', '/session/create', { query: { sessionId } });
    onCreated(created.sessionId, created.accessToken ?? null);
    setSessionId('');
    return `Session ${created.sessionId} created`;
  });
  return (
    <Section title="Create a session" id="create-session">
      <form class="inline" onSubmit={submit}>
        <Field label="Session id" hint="letters, digits, dot, dash, underscore">
          <TextInput value={sessionId} onInput={setSessionId} required pattern="[a-zA-Z0-9._\-]{1,64}" name="sessionId" autoComplete="off" />
        </Field>
        <button type="submit" disabled={action.busy}>Create and link</button>
      </form>
      <Notice outcome={action.outcome} />
    </Section>
  );
}

function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
  return (
    <div class="card secret" role="region" aria-label={label}>
      <p>{label}</p>
      <code class="token">{value}</code>
      <div class="buttons">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>Copy</button>
        <button type="button" onClick={onDone}>I stored it</button>
      </div>
    </div>
  );
}

function SessionRow({ session, onPanel, onToken, onChanged }: { session: SessionItem; onPanel(panel: Panel): void; onToken(token: string): void; onChanged(): void }) {
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const query = { sessionId: session.id };
  const act = (run: () => Promise<string>) => void action.run(async () => {
    const text = await run();
    onChanged();
    return text;
  });
  return (
    <tr data-session={session.id}>
      <th scope="row"><a href={`#/session/${encodeURIComponent(session.id)}`}>{session.id}</a></th>
      <td><StatusBadge status={session.status} /></td>
      <td>{phoneOf(session.me?.id) || '—'} {session.me?.name ? <span class="muted">{session.me.name}</span> : null}</td>
      <td><Time at={session.lastConn} /></td>
      <td>
        <div class="buttons">
          {session.status !== 'WORKING' ? (
            <button
              type="button"
              disabled={action.busy}
              onClick={() => void action.run(async () => {
                await call('GET', '/session/create', { query });
                onPanel({ kind: 'link', sessionId: session.id });
              })}
            >
              Link
            </button>
          ) : null}
          <button type="button" onClick={() => onPanel({ kind: 'webhook', sessionId: session.id })}>Webhook</button>
          <button type="button" disabled={action.busy} onClick={() => act(async () => (await call('GET', '/session/reconnect', { query }), 'Reconnect scheduled'))}>Reconnect</button>
          <button type="button" disabled={action.busy} onClick={() => act(async () => (await call('GET', '/session/logout', { query }), 'Logged out'))}>Log out</button>
          <button
            type="button"
            disabled={action.busy}
            onClick={() => act(async () => {
              const rotated = await first<{ accessToken: string }>('POST', '/session/token', { body: query });
              onToken(rotated.accessToken);
              return 'Access token rotated';
            })}
          >
            Rotate token
          </button>
          {confirming ? (
            <button type="button" class="danger" disabled={action.busy} onClick={() => act(async () => (await call('DELETE', '/session/delete', { body: query }), 'Deleted'))}>
              Confirm delete {session.id}
            </button>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete</button>
          )}
        </div>
        <Notice outcome={action.outcome} />
      </td>
    </tr>
  );
}

/** The QR of a session waiting to be linked, fetched again each time WhatsApp rotates it; or a pairing code. */
function LinkPanel({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const [qr, setQr] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [linked, setLinked] = useState<string | null>(null);
  const [phone, setPhone] = useState('');
  const [pairCode, setPairCode] = useState<string | null>(null);
  const action = useAction();

  useLiveEvents((event) => {
    if (event.event !== 'session_status' || event.data.sessionId !== sessionId) return;
    if (event.data.state === 'SCAN_QR_CODE') setRound((n) => n + 1);
    if (event.data.state === 'WORKING') setLinked(phoneOf((event.data.me as { id?: string } | undefined)?.id) || sessionId);
  }, [sessionId]);

  useEffect(() => {
    let current = true;
    let shown: string | null = null;
    imageUrl('/session/qr', { sessionId }).then(
      (objectUrl) => (current ? setQr((shown = objectUrl)) : URL.revokeObjectURL(objectUrl)),
      () => current && setQr(null),
    );
    return () => {
      current = false;
      if (shown) URL.revokeObjectURL(shown);
    };
  }, [sessionId, round]);

  const requestPairCode = action.submit(async () => {
    const answer = await first<{ pairCode?: string }>('GET', '/session/create/pair-code', { query: { sessionId, phone } });
    setPairCode(answer.pairCode || null);
    return answer.pairCode ? 'Enter this code on the phone: Linked devices → Link with phone number' : 'Login in progress; ask again in a moment';
  });

  return (
    <Section title={`Link ${sessionId}`} id="link">
      {linked ? (
        <p class="notice ok" role="status">Linked: {sessionId} is WORKING as {linked}.</p>
      ) : (
        <div class="link-grid">
          <figure class="qr">
            {qr ? <img src={qr} alt={`QR code to link session ${sessionId}`} width={256} height={256} data-testid="session-qr" /> : <p>Waiting for a QR code…</p>}
            <figcaption>On the phone: Settings → Linked devices → Link a device. The code refreshes by itself.</figcaption>
          </figure>
          <form onSubmit={requestPairCode}>
            <Field label="Or link with a phone number" hint="digits with country code">
              <TextInput value={phone} onInput={setPhone} inputMode="tel" pattern="\+?[0-9 ]{6,20}" required />
            </Field>
            <button type="submit" disabled={action.busy}>Get pairing code</button>
            {pairCode ? <p class="pair-code" aria-label="Pairing code">{pairCode}</p> : null}
            <Notice outcome={action.outcome} />
          </form>
        </div>
      )}
      <button type="button" onClick={onClose}>Close</button>
    </Section>
  );
}

function WebhookPanel({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const [webhookUrl, setUrl] = useState('');
  const [webhookSecret, setSecret] = useState('');
  const [events, setEvents] = useState('');
  const [preflight, setPreflight] = useState(true);
  const action = useAction();
  const submit = action.submit(async () => {
    const body: Record<string, unknown> = { webhookUrl: webhookUrl || null, preflight };
    if (webhookSecret) body.webhookSecret = webhookSecret;
    body.events = events.trim() ? events.split(',').map((entry) => entry.trim()).filter(Boolean) : null;
    const saved = await first<{ webhookUrl: string | null }>('POST', `/session/${encodeURIComponent(sessionId)}/config`, { body });
    return saved.webhookUrl ? `Webhook saved${preflight ? ' after a successful test delivery' : ''}` : 'Webhook removed';
  });
  return (
    <Section title={`Webhook of ${sessionId}`} id="webhook">
      <form onSubmit={submit}>
        <Field label="URL" hint="empty removes the webhook">
          <TextInput value={webhookUrl} onInput={setUrl} type="url" placeholder="https://example.com/hook" name="webhookUrl" />
        </Field>
        <Field label="Secret" hint="empty keeps the current one (a new URL without one gets a generated secret)">
          <TextInput value={webhookSecret} onInput={setSecret} type="password" autoComplete="new-password" name="webhookSecret" />
        </Field>
        <Field label="Events" hint="comma-separated names or tags (session.status, group_update…); empty: all">
          <TextInput value={events} onInput={setEvents} name="events" />
        </Field>
        <label class="check">
          <input type="checkbox" checked={preflight} onChange={(event) => setPreflight(event.currentTarget.checked)} /> Send a signed test delivery first (preflight)
        </label>
        <div class="buttons">
          <button type="submit" disabled={action.busy}>Save webhook</button>
          <button type="button" onClick={onClose}>Close</button>
        </div>
        <Notice outcome={action.outcome} />
      </form>
    </Section>
  );
}
