// Short-lived signed media links: `<base>/api/v1/media/<id>?expires=<unix s>&signature=<hex HMAC-SHA256 of
// "<id>.<expires>">`, so a webhook receiver can fetch a file without an API key. The HMAC key is 32 random
// bytes made once and kept in the settings table (every node sharing the database signs alike), read lazily.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/database.js';
import { mediaSigningKey } from '../../store/repos/media.js';
import { afterCommit } from '../../store/transaction.js';

/** Where the HTTP layer serves a file (the media route, under the API prefix). */
export const MEDIA_PATH = '/api/v1/media/';

export type LinkCheck = 'valid' | 'expired' | 'invalid';

export interface SignedLink {
  url: string;
  /** unix seconds */
  expires: number;
}

export interface MediaLinksOptions {
  db: Db;
  /** the gateway's public base URL, read when a link is made (the port is known only once it listens) */
  baseUrl: () => string;
  ttlSeconds: number;
  now?: () => number;
}

const SIGNATURE = /^[0-9a-f]{64}$/i;
const EXPIRES = /^\d{1,15}$/;

export class MediaLinks {
  private key: Buffer | null = null;
  private loading: Promise<Buffer> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: MediaLinksOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A link to the file valid for the configured lifetime. Inside a transaction, pass it as `db`: SQLite has one
   * connection, and loading the key outside the open transaction would wait for it to end.
   */
  async sign(id: string, db: Db = this.options.db): Promise<SignedLink> {
    const expires = Math.floor(this.now() / 1000) + this.options.ttlSeconds;
    const signature = (await this.hmac(id, expires, db)).toString('hex');
    const base = this.options.baseUrl().replace(/\/+$/, '');
    return { url: `${base}${MEDIA_PATH}${id}?expires=${expires}&signature=${signature}`, expires };
  }

  /** Whether `expires` and `signature` (as the query carried them) make a valid link to `id`; constant time. */
  async check(id: string, expires: string, signature: string): Promise<LinkCheck> {
    if (!EXPIRES.test(expires) || !SIGNATURE.test(signature)) return 'invalid';
    const expected = await this.hmac(id, Number(expires), this.options.db);
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    return Number(expires) * 1000 <= this.now() ? 'expired' : 'valid';
  }

  private async hmac(id: string, expires: number, db: Db): Promise<Buffer> {
    return createHmac('sha256', await this.signingKey(db)).update(`${id}.${expires}`).digest();
  }

  private async signingKey(db: Db): Promise<Buffer> {
    if (this.key) return this.key;
    if (db.isTransaction) {
      // Never waits for a load outside the transaction (on SQLite that one waits for this transaction to end),
      // and keeps the key only once the transaction commits: one first stored by a rollback was never shared.
      const key = await loadSigningKey(db);
      afterCommit(db, () => void (this.key ??= key));
      return key;
    }
    this.loading ??= loadSigningKey(db).then(
      (key) => (this.key ??= key),
      (err: unknown) => {
        this.loading = null; // the database was unreachable: the next link tries again
        throw err;
      },
    );
    return this.loading;
  }
}

async function loadSigningKey(db: Db): Promise<Buffer> {
  return Buffer.from(await mediaSigningKey(db, randomBytes(32).toString('hex')), 'hex');
}
