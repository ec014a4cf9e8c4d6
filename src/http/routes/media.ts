// Stored media: `GET /media/:id` answers a file's raw bytes, to an API key or session token allowed on the
// session that received it, or to anyone with a signed link from a webhook (`?expires&signature`, no key).
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { MediaFile, MediaLibrary } from '../../core/media-store/media-library.js';
import { isSignedLinkRequest } from '../auth.js';

const TAGS = ['Media'];
/** How long a client with a key may keep a file (its content never changes: the id is its SHA-256). */
const KEYED_MAX_AGE_SECONDS = 3600;

interface MediaRequest {
  Params: { id: string };
  Querystring: { expires?: string; signature?: string };
}

/** `inline; filename="…"` with an ASCII fallback (quotes, backslashes and controls replaced) and the UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return fallback === fileName ? `inline; filename="${fileName}"` : `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A media type as a header may carry it; a sender's malformed type is served as plain bytes. */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w.+-]+=(?:[\w.+-]+|"[^"\\\r\n]*"))*$/;

function sendFile(reply: FastifyReply, file: MediaFile, maxAgeSeconds: number): FastifyReply {
  return reply
    .code(200)
    .type(MEDIA_TYPE.test(file.mimetype) ? file.mimetype : 'application/octet-stream')
    .header('content-length', file.bytes.length)
    .header('content-disposition', contentDisposition(file.fileName ?? file.id))
    .header('cache-control', `private, max-age=${maxAgeSeconds}`)
    .header('etag', `"${file.id}"`)
    // Received files are anyone's content: never sniffed into something else, never run as a page of ours.
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', 'sandbox')
    .send(file.bytes);
}

export function mediaRoutes(library: MediaLibrary): FastifyPluginAsync {
  return async (app) => {
    app.get<MediaRequest>(
      '/media/:id',
      {
        config: { signedAccess: true },
        schema: {
          tags: TAGS,
          summary: 'Download a stored media file',
          description:
            'The raw bytes of a file sent or received by a session, addressed by its SHA-256. With an API key: the admin any file, a ' +
            'user key the files its sessions received, a session token its own session\'s. With `expires` and `signature` (the signed ' +
            'link of a webhook payload) no key is needed; an expired or altered link is 403. A file not stored yet is downloaded from ' +
            'WhatsApp through the session that received it (409 when that session is not connected, 410 when it can no longer be).',
          params: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string', maxLength: 128, description: 'The file id: hex SHA-256 of its bytes' } },
          },
          querystring: {
            type: 'object',
            properties: {
              expires: { type: 'string', maxLength: 32, description: 'Signed link: expiry, unix seconds' },
              signature: { type: 'string', maxLength: 128, description: 'Signed link: hex HMAC-SHA256 of "<id>.<expires>"' },
            },
          },
          security: [{ apiKey: [] }, { bearer: [] }, { accessToken: [] }, {}],
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const { expires = '', signature = '' } = request.query;
        if (isSignedLinkRequest(request)) {
          const file = await library.fetchSigned(id, expires, signature);
          return sendFile(reply, file, Math.max(0, Number(expires) - Math.floor(Date.now() / 1000)));
        }
        return sendFile(reply, await library.fetch(id, request.principal), KEYED_MAX_AGE_SECONDS);
      },
    );
  };
}
