// The server: health and readiness, sessions by status, the daily restart schedule, and (admin) API keys.
import { useState } from 'preact/hooks';
import { call, first } from '../api';
import { useLiveEvents } from '../live';
import { Field, LoadError, Notice, Section, Table, TextInput, Time, useAction, useLoad } from '../ui';

interface Info {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  node: string;
  network: string;
  database: { dialect: string };
  sessions: Record<string, number>;
  scheduledRestart: { schedule: string; timezone: string; nextRunAt: string } | null;
}

interface ApiKey { id: string; name: string; registry: string; isAdmin: boolean; createdAt: number }

export function ServerPage() {
  const info = useLoad(() => first<Info>('GET', '/server/info'), []);
  const ready = useLoad(async () => {
    try {
      await call('GET', '/server/ready');
      return 'ready';
    } catch (failure) {
      return failure instanceof Error ? failure.message : 'not ready';
    }
  }, []);
  useLiveEvents((event) => {
    if (event.event === 'session_status') info.reload();
  }, []);
  return (
    <>
      <h1>Server</h1>
      <Section title="Health" id="health">
        <LoadError error={info.error} />
        {info.data ? (
          <dl class="facts">
            <dt>Readiness</dt><dd>{ready.data ?? '…'}</dd>
            <dt>Version</dt><dd>{info.data.version} (Node {info.data.node})</dd>
            <dt>Started</dt><dd><Time at={info.data.startedAt} /></dd>
            <dt>Network</dt><dd>{info.data.network}</dd>
            <dt>Database</dt><dd>{info.data.database.dialect}</dd>
          </dl>
        ) : null}
      </Section>
      <Section title="Sessions by status" id="by-status">
        {info.data ? (
          <dl class="facts">
            {Object.entries(info.data.sessions).map(([status, count]) => [<dt key={`${status}-t`}>{status}</dt>, <dd key={`${status}-d`}>{count}</dd>])}
          </dl>
        ) : null}
        {info.data && !Object.keys(info.data.sessions).length ? <p>No sessions.</p> : null}
      </Section>
      {info.data ? <RestartSchedule current={info.data.scheduledRestart} onChanged={info.reload} /> : null}
      <ApiKeys />
    </>
  );
}

function RestartSchedule({ current, onChanged }: { current: Info['scheduledRestart']; onChanged(): void }) {
  const [time, setTime] = useState(current?.schedule ?? '');
  const [timezone, setTimezone] = useState(current?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const action = useAction();
  const save = action.submit(async () => {
    await call('POST', '/server/restart/scheduled', { body: { schedule: time || 0, timezone } });
    onChanged();
    return time ? `Daily restart at ${time}` : 'Daily restart cancelled';
  });
  return (
    <Section title="Daily restart" id="restart">
      <p>{current ? <>Every day at {current.schedule} ({current.timezone}); next <Time at={current.nextRunAt} /></> : 'No daily restart.'}</p>
      <form class="inline" onSubmit={save}>
        <Field label="Time" hint="empty cancels">
          <input type="time" value={time} onInput={(event) => setTime(event.currentTarget.value)} name="schedule" />
        </Field>
        <Field label="Time zone">
          <TextInput value={timezone} onInput={setTimezone} name="timezone" />
        </Field>
        <button type="submit" disabled={action.busy}>Save schedule</button>
      </form>
      <Notice outcome={action.outcome} />
    </Section>
  );
}

function ApiKeys() {
  const keys = useLoad(() => call<ApiKey>('GET', '/keys'), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const action = useAction();
  const create = action.submit(async () => {
    const key = await first<{ name: string; key: string }>('POST', '/keys', { body: { name } });
    setCreated(key);
    setName('');
    keys.reload();
    return `Key for ${key.name} created`;
  });
  const remove = (key: ApiKey) =>
    void action.run(async () => {
      await call('DELETE', `/keys/${encodeURIComponent(key.id)}`);
      keys.reload();
      return `Key ${key.name} deleted`;
    });
  return (
    <Section title="API keys" id="keys">
      <LoadError error={keys.error} />
      <Table caption="API keys">
        <thead><tr><th scope="col">Name</th><th scope="col">Registry</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(keys.data ?? []).map((key) => (
            <tr key={key.id}>
              <td>{key.name}{key.isAdmin ? ' (admin)' : ''}</td>
              <td>{key.registry}</td>
              <td><Time at={key.createdAt} /></td>
              <td>{key.isAdmin ? null : <button type="button" class="danger" onClick={() => remove(key)} aria-label={`Delete key ${key.name}`}>Delete</button>}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <form class="inline" onSubmit={create}>
        <Field label="New key for">
          <TextInput value={name} onInput={setName} required maxLength={100} name="keyName" />
        </Field>
        <button type="submit" disabled={action.busy}>Create key</button>
      </form>
      {created ? (
        <div class="secret" role="region" aria-label="New API key">
          <p>Key for {created.name} (shown once):</p>
          <code class="token">{created.key}</code>
        </div>
      ) : null}
      <Notice outcome={action.outcome} />
    </Section>
  );
}
