// The sessions the key may see, shared by the pages that pick a session.
import { first } from './api';
import { useLiveEvents } from './live';
import { useLoad, type Loaded } from './ui';

export interface SessionItem {
  id: string;
  status: string;
  me: { id: string; lid: string | null; name: string | null } | null;
  lastConn: number | null;
}

export const listSessions = async () => (await first<{ items: SessionItem[] }>('GET', '/session/list')).items;

/** The session list, reloaded whenever a session's status changes. */
export function useSessions(): Loaded<SessionItem[]> {
  const sessions = useLoad(listSessions, []);
  useLiveEvents((event) => {
    if (event.event === 'session_status') sessions.reload();
  }, []);
  return sessions;
}

export const phoneOf = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? '';
