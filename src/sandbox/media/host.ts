// The sandbox's media server (what `media_conn` points clients at): HTTPS with a self-signed certificate,
// accepting encrypted uploads at `/mms/<type>/<hash>` and serving them back by direct path. Memory-bounded.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';

const DEFAULT_CAPACITY_BYTES = 256 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface MediaHost {
  port: number;
  certificatePem: string;
  /** Stores bytes (already encrypted by the sender) and returns where clients download them. */
  put(kind: string, bytes: Buffer): { url: string; directPath: string };
  get(directPath: string): Buffer | undefined;
  close(): Promise<void>;
}

export async function startMediaHost({ host, port }: { host: string; port: number }): Promise<MediaHost> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'waygate-sandbox-media' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }]
  });
  const blobs = new Map<string, Buffer>();
  let storedBytes = 0;
  let boundPort = 0;

  const put = (kind: string, bytes: Buffer) => {
    const hash = createHash('sha256').update(bytes).digest('base64url');
    const directPath = `/v/t62.${kind}/${hash}-${randomBytes(6).toString('hex')}.enc`;
    blobs.set(directPath, bytes);
    storedBytes += bytes.length;
    for (const [path, blob] of blobs) {
      if (storedBytes <= DEFAULT_CAPACITY_BYTES) break;
      blobs.delete(path);
      storedBytes -= blob.length;
    }
    return { url: `https://${host}:${boundPort}${directPath}`, directPath };
  };

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    if (req.method === 'POST' && url.pathname.startsWith('/mms/')) {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) {
          res.writeHead(413).end();
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        const kind = url.pathname.split('/')[2] ?? 'media';
        const stored = put(kind, Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: stored.url, direct_path: stored.directPath }));
      });
      return;
    }
    const blob = req.method === 'GET' ? blobs.get(url.pathname) : undefined;
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  boundPort = (server.address() as AddressInfo).port;

  return {
    port: boundPort,
    certificatePem: pems.cert,
    put,
    get: (directPath) => blobs.get(directPath),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
