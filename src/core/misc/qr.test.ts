import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { GatewayError } from '../errors.js';
import { makeQr } from './qr.js';

const is400 = (hint: RegExp) => (err: unknown) => err instanceof GatewayError && err.status === 400 && hint.test(err.message);

describe('QR codes', () => {
  it('renders every target', async () => {
    const png = await makeQr({ target: 'PNG', string: 'hello', width: 200 });
    const meta = await sharp(Buffer.from(png.data, 'base64')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 200, 200]);
    const webp = await makeQr({ target: 'webp', string: 'hello', output: 'dataurl' });
    assert.match(webp.data, /^data:image\/webp;base64,UklGR/);
    assert.match((await makeQr({ target: 'svg', string: 'hello' })).data, /^<svg/);
    assert.match((await makeQr({ target: 'svg', string: 'hello', output: 'base64' })).data, /^PHN2Zy/);
    assert.match((await makeQr({ target: 'text', string: 'hello' })).data, /█/);
    assert.equal((await makeQr({ target: 'base64', string: 'hello' })).meta.mode, 'dataurl');
  });

  it('encodes bytes given as hex or base64, and more data with a lower correction level', async () => {
    const a = await makeQr({ target: 'svg', string: '68656c6c6f', encoding: 'hex' });
    const b = await makeQr({ target: 'svg', string: 'hello' });
    assert.equal(a.data, b.data, 'the same bytes make the same code');
    await makeQr({ target: 'png', string: 'x'.repeat(2900), errorCorrectionLevel: 'L' });
    await assert.rejects(makeQr({ target: 'png', string: 'x'.repeat(2900), errorCorrectionLevel: 'H' }), is400(/too long/));
  });

  it('refuses what it cannot do with 400s that say what to send', async () => {
    await assert.rejects(makeQr({ target: 'bmp', string: 'x' }), is400(/png, jpg, jpeg, webp, svg/));
    await assert.rejects(makeQr({ target: 'png', string: '' }), (err: unknown) => err instanceof GatewayError && err.code === 'MISSING_PARAMETER');
    await assert.rejects(makeQr({ target: 'png', string: 'zz', encoding: 'hex' }), is400(/not valid hex/));
    await assert.rejects(makeQr({ target: 'png', string: 'x', width: 10_000 }), is400(/32 to 2048/));
    await assert.rejects(makeQr({ target: 'png', string: 'x', errorCorrectionLevel: 'Z' }), is400(/L, M, Q, H/));
  });
});
