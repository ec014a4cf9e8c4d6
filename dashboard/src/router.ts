// Hash routes (#/sessions, #/session/<id>, #/groups/<session>/<group>, #/deliveries, #/server): the gateway
// serves one page, and no route or key ever reaches the server in a URL.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'sessions' }
  | { page: 'session'; sessionId: string }
  | { page: 'groups'; sessionId: string | null; groupId: string | null }
  | { page: 'deliveries' }
  | { page: 'server' };

export function parseRoute(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  switch (page) {
    case 'session':
      return rest[0] ? { page: 'session', sessionId: rest[0] } : { page: 'sessions' };
    case 'groups':
      return { page: 'groups', sessionId: rest[0] || null, groupId: rest[1] || null };
    case 'deliveries':
      return { page: 'deliveries' };
    case 'server':
      return { page: 'server' };
    default:
      return { page: 'sessions' };
  }
}

export function navigate(path: string): void {
  location.hash = `#${path}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
