// Where media bytes live, by content address (the hex SHA-256 of the bytes): an interface small enough for an
// S3-compatible backend to fit, and FileMediaStorage, which keeps each file at <dataDir>/media/<id[0..2]>/<id>.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface MediaStorage {
  /** Stores the bytes under `id`; storing an id that is already there changes nothing. Durable once resolved. */
  put(id: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under `id`. */
  get(id: string): Promise<Buffer | null>;
  has(id: string): Promise<boolean>;
  /** Removes the bytes; removing an id that is not there is not an error. */
  delete(id: string): Promise<void>;
}

const MEDIA_ID = /^[0-9a-f]{64}$/;

/** A content address: 64 lowercase hex digits. */
export function isMediaId(id: string): boolean {
  return MEDIA_ID.test(id);
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

export class FileMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'media');
  }

  async put(id: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(id);
    if (await this.has(id)) return;
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    // Written aside and renamed into place, so a reader (or a crash) never sees half a file under the id.
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDirectory(dir);
  }

  async get(id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(id));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async has(id: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(id))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    if (!isMediaId(id)) throw new Error(`not a media id (64 lowercase hex digits): ${JSON.stringify(id.slice(0, 80))}`);
    return join(this.root, id.slice(0, 2), id);
  }
}

/** Makes the rename itself durable: the directory entry is flushed too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
