// The API key of this browser tab: kept in sessionStorage (gone when the tab closes, never in a URL or a
// cookie) and sent as a header by api.ts and live.ts.
const KEY = 'waygate.apiKey';
const ADMIN = 'waygate.isAdmin';

export interface Credentials {
  key: string;
  isAdmin: boolean;
}

export function storedCredentials(): Credentials | null {
  const key = sessionStorage.getItem(KEY);
  return key ? { key, isAdmin: sessionStorage.getItem(ADMIN) === 'true' } : null;
}

export function storeCredentials(credentials: Credentials): void {
  sessionStorage.setItem(KEY, credentials.key);
  sessionStorage.setItem(ADMIN, String(credentials.isAdmin));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ADMIN);
}

export function authHeaders(): Record<string, string> {
  const credentials = storedCredentials();
  return credentials ? { 'X-WAREST-API-KEY': credentials.key } : {};
}
