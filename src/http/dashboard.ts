// Serves the web dashboard (built from dashboard/ into dist/dashboard by `npm run build:dashboard`) at `/`,
// same origin as the API, with a strict Content-Security-Policy: scripts, styles and connections from this
// origin only, no inline script or style, images from this origin and the QR codes' data:/blob: URLs.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { GatewayError } from '../core/errors.js';

/** Where the build puts the assets: <repo>/dist/dashboard, seen from src/http/ and from dist/http/ alike. */
export const DASHBOARD_ASSETS_DIR = fileURLToPath(new URL('../../dist/dashboard/', import.meta.url));

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The built files, read once; empty when the dashboard was not built. */
function readAssets(dir: string): Map<string, Buffer> {
  try {
    return new Map(readdirSync(dir).filter((name) => TYPES[extname(name)]).map((name) => [name, readFileSync(join(dir, name))]));
  } catch {
    return new Map();
  }
}

export function dashboardRoutes(dir = DASHBOARD_ASSETS_DIR): FastifyPluginAsync {
  return async (app) => {
    const assets = readAssets(dir);
    if (!assets.has('index.html')) app.log.warn({ dir }, 'dashboard assets not found: run `npm run build:dashboard` (or set WAYGATE_DASHBOARD=false)');

    const serve = (reply: FastifyReply, name: string) => {
      const body = assets.get(name);
      if (!body) {
        if (name === 'index.html') throw new GatewayError('SERVICE_UNAVAILABLE', 'The dashboard is not built: run `npm run build:dashboard`');
        throw new GatewayError('NOT_FOUND', `No dashboard file ${name}`);
      }
      return reply.headers(SECURITY_HEADERS).type(TYPES[extname(name)]!).send(body);
    };

    const hidden = { config: { auth: 'public' as const }, schema: { hide: true } };
    app.get('/', hidden, async (_request, reply) => serve(reply, 'index.html'));
    app.get<{ Params: { file: string } }>('/dashboard/:file', hidden, async (request, reply) => serve(reply, request.params.file));
  };
}
