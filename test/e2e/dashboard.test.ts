// The dashboard in a real browser (Debian's Chromium through playwright-core) against the real gateway and the
// sandbox: sign in with a user key, create a session and link it by scanning the QR shown on the page, watch it
// turn WORKING without a reload, govern a group's invite link (revoke, lineage, chatter-guard countdown,
// one-time policy), find a failed webhook delivery and replay it, keep users apart, and render hostile names as
// text. With WAYGATE_SCREENSHOTS=1 it also writes the README's screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DASHBOARD_CSP } from '../../src/http/dashboard.js';
import { documentPage, launchChromium, readQr } from '../support/browser.js';
import { ApiClient, TestDatabase, TestGateway, TestSandbox, eventually } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const OUR_PHONE = '15554440001';
const FRIEND = '15554440002';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

describe('dashboard in a browser', () => {
  let sb: TestSandbox;
  let db: TestDatabase;
  let gw: TestGateway;
  let browser: Browser;
  let alice: ApiClient;
  let bob: ApiClient;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  const receiver = new WebhookReceiver('dashboard-hook-secret');

  /** A fresh tab signed in with `key`. */
  async function signedIn(key: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const tab = await context.newPage();
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    tab.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await tab.goto(gw.url);
    await tab.getByLabel('API key').fill(key);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    await tab.getByRole('status', { name: 'Live updates: live' }).waitFor();
    return tab;
  }

  const sessionRow = (tab: Page, sessionId: string) => tab.locator(`tr[data-session="${sessionId}"]`);

  before(async () => {
    sb = await TestSandbox.start();
    db = await TestDatabase.create('sqlite');
    await receiver.start();
    [gw, browser] = await Promise.all([TestGateway.start(db, sb), launchChromium()]);
    const keyFor = async (name: string) => new ApiClient(gw.url, (await gw.request('POST', '/api/v1/keys', { body: { name } })).body.results[0].key);
    alice = await keyFor('alice');
    bob = await keyFor('bob');
    await sb.ok('POST', '/sandbox/v1/accounts', { phone: OUR_PHONE, name: 'Shop Number' });
    await sb.ok('POST', '/sandbox/v1/accounts', { phone: FRIEND, name: 'Friend' });
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gw?.stop();
    await sb?.sandbox.stop();
    await db?.dispose();
    await receiver.stop();
  });

  test('the page is served with a strict CSP and works from the keyboard', async () => {
    const answer = await fetch(gw.url);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-security-policy'), DASHBOARD_CSP);
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval/);
    const html = await answer.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');

    const context = await browser.newContext();
    contexts.push(context);
    const tab = await context.newPage();
    await tab.goto(gw.url);
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate(() => document.activeElement?.getAttribute('name')), 'apiKey', 'the key field is the first stop');
    await tab.keyboard.type('not-a-key');
    await tab.keyboard.press('Enter');
    await tab.getByRole('alert').filter({ hasText: 'Invalid X-WAREST-API-KEY' }).waitFor();
  });

  test('sign in, create a session, link it by scanning the QR on the page, and see WORKING without a reload', async () => {
    page = await signedIn(alice.key);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    await page.getByLabel('Session id').fill('shop');
    await page.getByRole('button', { name: 'Create and link' }).click();
    await page.getByRole('region', { name: 'Access token of shop (shown once)' }).waitFor();
    const qrImage = page.getByRole('img', { name: 'QR code to link session shop' });
    await qrImage.waitFor();
    await assert.doesNotReject(sessionRow(page, 'shop').getByText('SCAN_QR_CODE').waitFor());
    await documentPage(page, 'sessions-link');

    const scanned = await readQr(qrImage);
    assert.match(scanned, /^https:\/\/wa\.me\/settings\/linked_devices#/);
    await sb.ok('POST', `/sandbox/v1/accounts/${OUR_PHONE}/link`, { qr: scanned });

    await sessionRow(page, 'shop').getByText('WORKING').waitFor();
    await page.getByText(`Linked: shop is WORKING as ${OUR_PHONE}.`).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'the page was not reloaded');
    await page.getByRole('button', { name: 'I stored it' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await documentPage(page, 'sessions');
  });

  test('groups: a hostile name is text, revoke grows the lineage, the guard counts down, a one-time policy is saved', async () => {
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.getByLabel('Group name').fill(HOSTILE_NAME);
    await page.getByLabel('Members', { exact: true }).fill(FRIEND);
    await page.getByRole('button', { name: 'Create group' }).click();

    await page.getByRole('rowheader', { name: HOSTILE_NAME }).waitFor();
    await page.getByRole('heading', { name: HOSTILE_NAME, level: 2 }).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'the name was not parsed as HTML');

    const lineage = page.getByRole('list', { name: 'Invite codes, oldest first' });
    await page.locator('.invite-link').waitFor();
    const firstLink = await page.locator('.invite-link').textContent();
    await lineage.locator(':scope > li').first().waitFor();
    assert.equal(await lineage.locator(':scope > li').count(), 1);

    await page.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByText(/Revoked: the new code is/).waitFor();
    await eventually(async () => ((await lineage.locator(':scope > li').count()) === 2 ? true : undefined), { what: 'the timeline gains a code' });
    await eventually(async () => ((await page.locator('.invite-link').textContent()) !== firstLink ? true : undefined), { what: 'the link is the new one' });
    await lineage.getByText('by API key alice').waitFor();

    await page.getByRole('button', { name: 'Revoke link' }).click();
    const countdown = page.getByRole('timer');
    await countdown.waitFor();
    const seconds = Number(/(\d+) s/.exec((await countdown.textContent()) ?? '')?.[1]);
    assert.ok(seconds > 0 && seconds <= 60, `a countdown in seconds (${seconds})`);
    await page.getByRole('alert').filter({ hasText: 'revoke again in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Revoke link' }).isDisabled(), true, 'revoke waits for the countdown');

    await page.getByLabel('One-time link: revoke after each join through it').check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved').waitFor();
    await page.locator('.policy-status').getByText('active').waitFor();
    const groupId = decodeURIComponent(page.url().split('/').at(-1)!);
    const policy = await alice.request('GET', `/api/v1/group/invite/policy?sessionId=shop&groupId=${encodeURIComponent(groupId)}`);
    assert.equal(policy.body.results[0].oneTime, true);
    await documentPage(page, 'groups');
  });

  test('a failing webhook delivery is listed with its attempt and replayed once the receiver is back', async () => {
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await sessionRow(page, 'shop').getByRole('button', { name: 'Webhook' }).click();
    await page.getByLabel('URL', { exact: true }).fill(receiver.url);
    await page.getByLabel('Secret', { exact: true }).fill(receiver.secret);
    await page.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByText('Webhook saved after a successful test delivery').waitFor();

    receiver.failWith = 400;
    await sb.ok('POST', `/sandbox/v1/accounts/${FRIEND}/messages`, { to: OUR_PHONE, text: 'is the shop open?' });
    await page.getByRole('link', { name: 'Deliveries', exact: true }).click();
    await page.getByLabel('State', { exact: true }).selectOption('failed');
    const failed = page.locator('tbody tr', { hasText: 'message.received' });
    await eventually(async () => ((await failed.count()) > 0 ? true : await page.getByRole('button', { name: 'Refresh' }).click().then(() => undefined)), { what: 'the failed delivery is listed' });
    const eventId = (await failed.first().getAttribute('data-event'))!;
    await failed.first().getByRole('button', { name: 'Details' }).click();
    await page.getByRole('table', { name: 'Attempts, oldest first' }).getByText(/HTTP 400/).waitFor();
    await page.locator('pre.json').getByText('is the shop open?').waitFor();
    await documentPage(page, 'deliveries');

    receiver.failWith = undefined;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/Queued again/).waitFor();
    await eventually(() => receiver.deliveries.find((d) => d.headers['x-warest-event-id'] === eventId), { what: 'the replayed event reaches the receiver' });
    await page.getByLabel('State', { exact: true }).selectOption('delivered');
    await eventually(async () => ((await page.locator(`tr[data-event="${eventId}"]`).count()) > 0 ? true : await page.getByRole('button', { name: 'Refresh' }).click().then(() => undefined)), { what: 'the delivery is listed as delivered' });
  });

  test('the session page shows the device, the queue and recent events', async () => {
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await sessionRow(page, 'shop').getByRole('link', { name: 'shop' }).click();
    await page.getByRole('heading', { name: 'Session shop', level: 1 }).waitFor();
    await page.locator('dd', { hasText: OUR_PHONE }).first().waitFor();
    await page.getByLabel('To', { exact: true }).fill(FRIEND);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText(/Message \w+ (sent|queued)/).waitFor();
    await page.getByRole('table', { name: 'Recent events' }).getByText('message_received').first().waitFor();
    await documentPage(page, 'session');
  });

  test("a user key sees only its own sessions, and the admin key sees the server", async () => {
    await bob.request('GET', '/api/v1/session/create?sessionId=bobs');
    const bobsTab = await signedIn(bob.key);
    await sessionRow(bobsTab, 'bobs').waitFor();
    assert.equal(await sessionRow(bobsTab, 'shop').count(), 0, "bob does not see alice's session");
    assert.equal(await bobsTab.getByRole('link', { name: 'Server', exact: true }).count(), 0, 'no server page for a user key');
    assert.equal(await sessionRow(page, 'bobs').count(), 0, "alice does not see bob's session");

    const adminTab = await signedIn(gw.key);
    await sessionRow(adminTab, 'shop').waitFor();
    await sessionRow(adminTab, 'bobs').waitFor();
    await adminTab.getByRole('link', { name: 'Server', exact: true }).click();
    await adminTab.getByRole('heading', { name: 'Server', level: 1 }).waitFor();
    await adminTab.getByRole('table', { name: 'API keys' }).getByText('alice').waitFor();
    await adminTab.locator('dt', { hasText: 'WORKING' }).waitFor();
    await documentPage(adminTab, 'server');

    await adminTab.setViewportSize({ width: 375, height: 800 });
    await adminTab.getByRole('link', { name: 'Sessions', exact: true }).click();
    await sessionRow(adminTab, 'shop').waitFor();
    assert.ok(await adminTab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling on a phone-sized screen');
    await documentPage(adminTab, 'sessions-phone');
  });

  test('no dialog fired and no CSP violation was reported', () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(cspViolations, []);
  });
});
