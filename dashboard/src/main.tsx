// The dashboard shell: sign-in with an API key, navigation, the live-stream indicator, and the pages.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from './api';
import { forgetCredentials, storeCredentials, storedCredentials, type Credentials } from './credentials';
import { startLive, stopLive, useLiveState } from './live';
import { DeliveriesPage } from './pages/deliveries';
import { GroupsPage } from './pages/groups';
import { ServerPage } from './pages/server';
import { SessionPage } from './pages/session';
import { SessionsPage } from './pages/sessions';
import { useRoute, type Route } from './router';
import { Field, Notice, TextInput, useAction } from './ui';
import './styles.css';

function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(storedCredentials);
  useEffect(() => {
    if (credentials) startLive();
  }, [credentials]);
  if (!credentials) return <SignIn onSignedIn={setCredentials} />;
  return (
    <Shell
      credentials={credentials}
      onSignOut={() => {
        stopLive();
        forgetCredentials();
        setCredentials(null);
      }}
    />
  );
}

/** A key is checked by listing sessions (any key may); the admin key is the one the server routes accept. */
async function checkKey(key: string): Promise<Credentials> {
  await call('GET', '/session/list', { key });
  try {
    await call('GET', '/server/healthz', { key });
    return { key, isAdmin: true };
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 403) return { key, isAdmin: false };
    throw failure;
  }
}

function SignIn({ onSignedIn }: { onSignedIn(credentials: Credentials): void }) {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = action.submit(async () => {
    const credentials = await checkKey(key.trim());
    storeCredentials(credentials);
    onSignedIn(credentials);
  });
  return (
    <main class="sign-in" id="main">
      <h1>Waygate</h1>
      <form onSubmit={submit} class="card">
        <Field label="API key" hint="the admin key or a user key; kept in this tab only, until you close it">
          <TextInput value={key} onInput={setKey} type="password" autoComplete="current-password" required name="apiKey" />
        </Field>
        <button type="submit" disabled={action.busy}>Sign in</button>
        <Notice outcome={action.outcome} />
      </form>
    </main>
  );
}

const PAGES: { page: Route['page']; path: string; label: string; adminOnly?: boolean }[] = [
  { page: 'sessions', path: '#/sessions', label: 'Sessions' },
  { page: 'groups', path: '#/groups', label: 'Groups' },
  { page: 'deliveries', path: '#/deliveries', label: 'Deliveries' },
  { page: 'server', path: '#/server', label: 'Server', adminOnly: true },
];

function Shell({ credentials, onSignOut }: { credentials: Credentials; onSignOut(): void }) {
  const route = useRoute();
  const live = useLiveState();
  const heading = useRef<HTMLDivElement>(null);
  // Moving focus to the new page tells keyboard and screen-reader users that it changed.
  useEffect(() => heading.current?.focus(), [route.page]);
  const current = route.page === 'session' ? 'sessions' : route.page;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">Waygate</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.filter((entry) => credentials.isAdmin || !entry.adminOnly).map((entry) => (
              <li key={entry.page}>
                <a href={entry.path} aria-current={current === entry.page ? 'page' : undefined}>{entry.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span class={`live ${live}`} role="status" aria-label={`Live updates: ${live}`}>{live === 'live' ? '● live' : live === 'offline' ? '○ reconnecting' : '○ connecting'}</span>
        <span class="muted">{credentials.isAdmin ? 'admin key' : 'user key'}</span>
        <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <div ref={heading} tabIndex={-1} class="page">
          <Page route={route} isAdmin={credentials.isAdmin} />
        </div>
      </main>
    </>
  );
}

function Page({ route, isAdmin }: { route: Route; isAdmin: boolean }) {
  switch (route.page) {
    case 'sessions':
      return <SessionsPage />;
    case 'session':
      return <SessionPage key={route.sessionId} sessionId={route.sessionId} />;
    case 'groups':
      return <GroupsPage sessionId={route.sessionId} groupId={route.groupId} />;
    case 'deliveries':
      return <DeliveriesPage />;
    case 'server':
      return isAdmin ? <ServerPage /> : <p>The server page needs the admin key.</p>;
  }
}

render(<App />, document.getElementById('app')!);
