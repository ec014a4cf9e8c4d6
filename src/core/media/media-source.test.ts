// The media loader through its public functions: the three source forms, sniffed types, the size cap, the
// local-directory allow-list (symlink and `..` escapes), and URLs fetched from a loopback origin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { GatewayError } from '../errors.js';
import { TestOrigin } from '../../lib/test-origin.test-support.js';
import { loadMedia, parseMediaSource, type MediaLoadOptions } from './media-source.js';

const OPTIONS: MediaLoadOptions = { maxBytes: 64 * 1024, timeoutMs: 2_000, allowPrivate: true, localDirs: [], field: 'media' };

async function gatewayError(promise: Promise<unknown> | (() => unknown)): Promise<GatewayError> {
  const err = await (typeof promise === 'function' ? Promise.resolve().then(promise) : promise).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
  return err;
}

let png: Buffer;
before(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3080c0' } }).png().toBuffer();
});

describe('parseMediaSource', () => {
  it('tells data URIs, URLs and absolute paths apart', () => {
    assert.deepEqual(parseMediaSource('data:Image/PNG;base64,iVBO\nRw0K', 'image'), { kind: 'data', base64: 'iVBORw0K', declaredMime: 'image/png' });
    assert.deepEqual(parseMediaSource('data:;base64,AAAA', 'image'), { kind: 'data', base64: 'AAAA', declaredMime: 'application/octet-stream' });
    assert.deepEqual(parseMediaSource('https://cdn.example/a.jpg', 'image'), { kind: 'url', url: new URL('https://cdn.example/a.jpg') });
    assert.deepEqual(parseMediaSource('/srv/media/a b.jpg', 'image'), { kind: 'file', path: '/srv/media/a b.jpg' });
    assert.deepEqual(parseMediaSource('file:///srv/media/a%20b.jpg', 'image'), { kind: 'file', path: '/srv/media/a b.jpg' });
  });

  it('refuses a data URI that is not base64, naming the field', async () => {
    for (const raw of ['data:text/plain,hello', 'data:image/png;base64,not*base64']) {
      const err = await gatewayError(() => parseMediaSource(raw, 'document'));
      assert.equal(err.code, 'INVALID_PARAMETER');
      assert.equal(err.status, 400);
      assert.match(err.message, /^document data URI is not base64/);
    }
  });

  it('refuses relative paths and other schemes, listing the accepted forms', async () => {
    for (const raw of ['./a.png', 'a.png', 'ftp://host/a.png', '']) {
      const err = await gatewayError(() => parseMediaSource(raw, 'video'));
      assert.equal(err.code, 'INVALID_PARAMETER');
      assert.match(err.message, /^video must be a base64 data URI \(data:image\/jpeg;base64,…\), an http\(s\) URL, or an absolute path/);
    }
    assert.match((await gatewayError(() => parseMediaSource('file://server/share/a.png', 'video'))).message, /file URL is not a local absolute path/);
  });
});

describe('loadMedia from a data URI', () => {
  const load = (uri: string, options: Partial<MediaLoadOptions> = {}) => loadMedia(parseMediaSource(uri, 'media'), { ...OPTIONS, ...options });

  it('sniffs the type from the bytes, not from the declaration', async () => {
    const media = await load(`data:application/pdf;base64,${png.toString('base64')}`);
    assert.deepEqual([media.mimetype, media.extension, media.fileName, media.bytes.equals(png)], ['image/png', 'png', null, true]);
  });

  it('keeps a declared type the bytes cannot show (text), and drops one they contradict', async () => {
    const csv = Buffer.from('name,phone\nAda,15550001111\n').toString('base64');
    assert.equal((await load(`data:text/csv;base64,${csv}`)).mimetype, 'text/csv');
    assert.equal((await load(`data:image/png;base64,${csv}`)).mimetype, 'application/octet-stream');
  });

  it('refuses more than maxBytes with 413 and both sizes', async () => {
    const err = await gatewayError(load(`data:image/png;base64,${Buffer.alloc(100 * 1024).toString('base64')}`));
    assert.deepEqual([err.code, err.status, err.message], ['MEDIA_TOO_LARGE', 413, 'media is 100 KB, over the 64 KB limit; send a smaller file']);
  });
});

describe('loadMedia from a server path', () => {
  let root: string;
  let allowed: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'media-source-test-'));
    allowed = join(root, 'allowed');
    await mkdir(allowed);
    await writeFile(join(allowed, 'photo.png'), png);
    await writeFile(join(allowed, 'big.bin'), Buffer.alloc(OPTIONS.maxBytes + 1));
    await writeFile(join(root, 'secret.png'), png);
    await symlink(join(root, 'secret.png'), join(allowed, 'escape.png'));
    await symlink(join(allowed, 'photo.png'), join(root, 'inward.png'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const load = (path: string, localDirs: string[] = [allowed]) => loadMedia({ kind: 'file', path }, { ...OPTIONS, localDirs });

  it('reads a file inside an allowed directory, by path or file URL', async () => {
    const media = await load(join(allowed, 'photo.png'));
    assert.deepEqual([media.mimetype, media.fileName, media.bytes.equals(png)], ['image/png', 'photo.png', true]);
    const viaUrl = await loadMedia(parseMediaSource(pathToFileURL(join(allowed, 'photo.png')).href, 'media'), { ...OPTIONS, localDirs: [allowed] });
    assert.ok(viaUrl.bytes.equals(png));
  });

  it('follows a symlink that lands inside an allowed directory', async () => {
    assert.ok((await load(join(root, 'inward.png'))).bytes.equals(png));
  });

  it('refuses every path when no directory is allowed', async () => {
    const err = await gatewayError(load(join(allowed, 'photo.png'), []));
    assert.equal(err.code, 'INVALID_PARAMETER');
    assert.match(err.message, /server file paths are refused; allow a directory with WAYGATE_MEDIA_LOCAL_DIRS/);
  });

  it('refuses files outside, through `..` or a symlink, without saying whether they exist', async () => {
    for (const path of [join(root, 'secret.png'), `${allowed}/../secret.png`, join(allowed, 'escape.png'), join(root, 'missing.png'), '/etc/passwd']) {
      const err = await gatewayError(load(path));
      assert.equal(err.code, 'INVALID_PARAMETER', path);
      assert.equal(err.message, 'media path is outside the directories allowed by WAYGATE_MEDIA_LOCAL_DIRS; put the file in one of them');
    }
  });

  it('says when an allowed path does not exist, is a directory, or is too large', async () => {
    assert.match((await gatewayError(load(join(allowed, 'missing.png')))).message, /^media file does not exist/);
    assert.match((await gatewayError(load(join(allowed, 'sub'), [root]))).message, /^media file does not exist/);
    assert.match((await gatewayError(load(allowed, [root]))).message, /^media path is not a regular file/);
    const tooLarge = await gatewayError(load(join(allowed, 'big.bin')));
    assert.deepEqual([tooLarge.code, tooLarge.message], ['MEDIA_TOO_LARGE', 'media is 65 KB, over the 64 KB limit; send a smaller file']);
  });
});

describe('loadMedia from a URL', () => {
  let origin: TestOrigin;
  before(async () => {
    origin = await TestOrigin.start({
      '/files/photo.png': (_, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png),
      '/download': (_, res) =>
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="x.csv"; filename*=UTF-8''R%C3%A9sum%C3%A9%20list.csv` }).end('a,b\n1,2\n'),
      '/moved': (_, res) => res.writeHead(302, { location: '/files/photo.png' }).end(),
      '/huge': (_, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(OPTIONS.maxBytes + 1)),
      '/gone': (_, res) => res.writeHead(404).end(),
      '/broken': (_, res) => res.writeHead(503).end(),
      '/slow': () => {},
    });
  });
  after(() => origin.stop());

  const load = (path: string, options: Partial<MediaLoadOptions> = {}) => loadMedia({ kind: 'url', url: new URL(origin.loopbackUrl(path)) }, { ...OPTIONS, ...options });

  it('downloads, sniffs, and names the file after the URL, through a redirect', async () => {
    const media = await load('/moved');
    assert.deepEqual([media.mimetype, media.extension, media.fileName, media.bytes.equals(png)], ['image/png', 'png', 'photo.png', true]);
  });

  it('takes the name from Content-Disposition and the type from Content-Type when the bytes cannot tell', async () => {
    const media = await load('/download');
    assert.deepEqual([media.mimetype, media.extension, media.fileName], ['text/csv', 'csv', 'Résumé list.csv']);
  });

  it('maps what went wrong to the status that says what to fix', async () => {
    const cases: [string, Partial<MediaLoadOptions>, string, RegExp][] = [
      ['/huge', {}, 'MEDIA_TOO_LARGE', /^media is larger than the 64 KB limit; send a smaller file$/],
      ['/gone', {}, 'INVALID_PARAMETER', /^media URL answered 404; check that it points to the file$/],
      ['/broken', {}, 'MEDIA_DOWNLOAD_FAILED', /^media URL answered 503; retry later/],
      ['/slow', { timeoutMs: 200 }, 'DOWNSTREAM_TIMEOUT', /did not deliver the file within 0.2 s/],
      ['/files/photo.png', { allowPrivate: false }, 'INVALID_PARAMETER', /^media URL refused: host 127\.0\.0\.1 is a loopback address; use a public address, or set WAYGATE_WEBHOOK_ALLOW_PRIVATE=true/],
    ];
    for (const [path, options, code, message] of cases) {
      const err = await gatewayError(load(path, options));
      assert.equal(err.code, code, path);
      assert.match(err.message, message);
    }
  });
});
