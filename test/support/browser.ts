// Browser tests: Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work
// offline), started with the flags that keep it off the network, and a QR decoder that reads a screenshot the
// way a phone's camera would.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';

// jsqr is CommonJS: its function is the module's `default` export.
const jsQR = jsqr.default;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium phones home, and this closed network refuses it.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Playwright gives every launch a fresh temporary --user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** The text of the QR code shown by `element`, read from its pixels on screen. */
export async function readQr(element: Locator): Promise<string> {
  const { data, info } = await sharp(await element.screenshot()).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  if (!code) throw new Error('no QR code could be read from the element');
  return code.data;
}

const SCREENSHOTS = process.env.WAYGATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url) : null;

/** Saves a full-page screenshot for the README when WAYGATE_SCREENSHOTS=1 (CI runs leave the tree alone). */
export async function documentPage(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS.pathname, `${name}.png`), fullPage: true });
}
