// The gateway version, read once from package.json (shown by /server/info and the OpenAPI document).
import { readFileSync } from 'node:fs';

export const GATEWAY_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
