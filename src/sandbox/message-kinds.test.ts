// Every kind of content a gateway sends with Baileys 7, as the recipient's simulated phone decrypts and
// summarises it: one test per kind, media downloaded from the sandbox media host and hash-checked.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateMessageIDV2, type AnyMessageContent, type proto, type WAMessage } from 'baileys';
import type { RunningSandbox } from './index.js';
import { phoneMessageById, pn, useSandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';
import { SMALL_PNG } from '../../test/support/images.js';

const ALICE = '15550808001';
const BOB = '15550808002';
const CAROL = '15550808003';
const bobJid = pn(BOB);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
// The sandbox checks hashes, not formats: any bytes stand in for a clip, a voice note or a sticker.
const fakeFile = (label: string, size: number) => Buffer.from(Array.from({ length: size }, (_, i) => label.charCodeAt(i % label.length)));

const fixture = useSandbox({ accounts: { [BOB]: 'Bob', [CAROL]: 'Carol' }, linked: [[ALICE, 'Alice']], media: true });
let sb: RunningSandbox;
let alice: RawClient;
before(async () => ({ sb, clients: [alice] } = await fixture.ready));

/** Sends with sock.sendMessage and resolves with the summary Bob's phone gives of what it decrypted. */
async function atBob(content: AnyMessageContent, options?: { quoted: WAMessage }): Promise<{ sent: WAMessage; got: any }> {
  const sent = (await alice.sock!.sendMessage(bobJid, content, options))!;
  return { sent, got: await phoneMessageById(sb, BOB, sent.key.id!) };
}

/** Relays a hand-built message (what a gateway must do for buttons and lists) and resolves with Bob's summary of it. */
async function relayedToBob(message: proto.IMessage): Promise<any> {
  const id = await alice.sock!.relayMessage(bobJid, message, { messageId: generateMessageIDV2(alice.sock!.authState.creds.me?.id) });
  return phoneMessageById(sb, BOB, id);
}

test('text: mentions, a reply quoting its original and a forward', async () => {
  const { sent: mention, got: mentioned } = await atBob({ text: `hi @${CAROL}`, mentions: [pn(CAROL)] });
  assert.equal(mentioned.kind, 'text');
  assert.equal(mentioned.text, `hi @${CAROL}`);
  assert.deepEqual(mentioned.mentions, [pn(CAROL)]);
  assert.equal(mentioned.copies, 1);
  const { got: reply } = await atBob({ text: 'a reply' }, { quoted: mention });
  assert.equal(reply.quotedId, mention.key.id);
  assert.equal(reply.forwarded, undefined);
  const { got: forward } = await atBob({ forward: mention, force: true });
  assert.deepEqual([forward.kind, forward.text, forward.forwarded], ['text', `hi @${CAROL}`, true]);
});

test('image with a caption, view once: downloaded, decrypted and its hash verified', async () => {
  const { got } = await atBob({ image: SMALL_PNG, mimetype: 'image/png', caption: 'look once', viewOnce: true });
  assert.deepEqual([got.kind, got.caption, got.text, got.viewOnce], ['image', 'look once', 'look once', true]);
  assert.deepEqual(
    { mimetype: got.media.mimetype, size: got.media.size, sha256: got.media.sha256, verified: got.media.verified },
    { mimetype: 'image/png', size: SMALL_PNG.length, sha256: sha256(SMALL_PNG), verified: true }
  );
});

test('video played as a gif, with the thumbnail the sender gave', async () => {
  const clip = fakeFile('mp4', 3000);
  const thumbnail = fakeFile('jpeg', 120);
  const { got } = await atBob({ video: clip, gifPlayback: true, caption: 'loop', jpegThumbnail: thumbnail.toString('base64') });
  assert.deepEqual([got.kind, got.caption], ['gif', 'loop']);
  assert.deepEqual(
    { mimetype: got.media.mimetype, gifPlayback: got.media.gifPlayback, thumbnailBytes: got.media.thumbnailBytes, size: got.media.size, verified: got.media.verified },
    { mimetype: 'video/mp4', gifPlayback: true, thumbnailBytes: thumbnail.length, size: clip.length, verified: true }
  );
});

test('voice note: ogg/opus audio with ptt', async () => {
  const voice = fakeFile('OggS', 2000);
  const { got } = await atBob({ audio: voice, mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3 });
  assert.equal(got.kind, 'voice');
  assert.deepEqual(
    { mimetype: got.media.mimetype, ptt: got.media.ptt, seconds: got.media.seconds, sha256: got.media.sha256 },
    { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3, sha256: sha256(voice) }
  );
});

test('document with its file name, mimetype and caption', async () => {
  const pdf = fakeFile('%PDF-1.4', 1500);
  const { got } = await atBob({ document: pdf, mimetype: 'application/pdf', fileName: 'report.pdf', caption: 'the report' });
  assert.deepEqual([got.kind, got.caption], ['document', 'the report']);
  assert.deepEqual(
    { mimetype: got.media.mimetype, fileName: got.media.fileName, size: got.media.size, verified: got.media.verified },
    { mimetype: 'application/pdf', fileName: 'report.pdf', size: pdf.length, verified: true }
  );
});

test('sticker (webp)', async () => {
  const webp = fakeFile('RIFFWEBP', 800);
  const { got } = await atBob({ sticker: webp });
  assert.equal(got.kind, 'sticker');
  assert.deepEqual({ mimetype: got.media.mimetype, sha256: got.media.sha256 }, { mimetype: 'image/webp', sha256: sha256(webp) });
});

test('location with a name and address', async () => {
  const { got } = await atBob({ location: { degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Berlin', address: 'Pariser Platz' } });
  assert.equal(got.kind, 'location');
  assert.deepEqual(got.location, { latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Pariser Platz' });
});

test('contacts: one vcard, then several', async () => {
  const vcard = (name: string) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nEND:VCARD`;
  const { got: one } = await atBob({ contacts: { contacts: [{ displayName: 'Dave', vcard: vcard('Dave') }] } });
  assert.equal(one.kind, 'contact');
  assert.deepEqual(one.contacts, { cards: [{ displayName: 'Dave', vcard: vcard('Dave') }] });
  const { got: several } = await atBob({ contacts: { displayName: '2 contacts', contacts: [{ vcard: vcard('Erin') }, { vcard: vcard('Finn') }] } });
  assert.equal(several.kind, 'contacts');
  assert.equal(several.contacts.displayName, '2 contacts');
  assert.deepEqual(several.contacts.cards.map((c: any) => c.vcard), [vcard('Erin'), vcard('Finn')]);
});

test('polls: single choice and multiple choice', async () => {
  const { got: single } = await atBob({ poll: { name: 'Lunch?', values: ['pizza', 'sushi'], selectableCount: 1 } });
  assert.deepEqual([single.kind, single.type], ['poll', 'pollCreationMessageV3']);
  assert.deepEqual(single.poll, { name: 'Lunch?', options: ['pizza', 'sushi'], selectableCount: 1 });
  const { got: multiple } = await atBob({ poll: { name: 'Days?', values: ['mon', 'tue', 'wed'], selectableCount: 2 } });
  assert.deepEqual([multiple.kind, multiple.type], ['poll', 'pollCreationMessage']);
  assert.deepEqual(multiple.poll, { name: 'Days?', options: ['mon', 'tue', 'wed'], selectableCount: 2 });
});

test('reaction, then its removal (an empty reaction)', async () => {
  const { sent } = await atBob({ text: 'react to me' });
  const { got: reaction } = await atBob({ react: { key: sent.key, text: '👍' } });
  assert.equal(reaction.kind, 'reaction');
  assert.deepEqual(reaction.reaction, { targetId: sent.key.id, emoji: '👍', removed: false });
  const { got: removal } = await atBob({ react: { key: sent.key, text: '' } });
  assert.deepEqual(removal.reaction, { targetId: sent.key.id, emoji: '', removed: true });
});

test('edit, then revoke (delete for everyone)', async () => {
  const { sent } = await atBob({ text: 'tpyo' });
  const { got: edit } = await atBob({ edit: sent.key, text: 'typo' });
  assert.deepEqual([edit.kind, edit.edit, edit.text], ['edit', { targetId: sent.key.id }, 'typo']);
  const { got: revoke } = await atBob({ delete: sent.key });
  assert.deepEqual([revoke.kind, revoke.revoke], ['revoke', { targetId: sent.key.id }]);
});

test('buttons: sendMessage drops them, hand-built buttons, template and native-flow messages decode', async () => {
  // rc14's generateWAMessageContent has no buttons builder: the text goes, the buttons are silently dropped.
  const { got: dropped } = await atBob({ text: 'pick one', buttons: [{ buttonId: 'a', buttonText: { displayText: 'A' } }] } as AnyMessageContent);
  assert.deepEqual([dropped.kind, dropped.text, dropped.buttons], ['text', 'pick one', undefined]);

  const legacy = await relayedToBob({
    buttonsMessage: {
      contentText: 'pick one',
      footerText: 'footer',
      headerType: 1,
      buttons: [
        { buttonId: 'yes', buttonText: { displayText: 'Yes' }, type: 1 },
        { buttonId: 'no', buttonText: { displayText: 'No' }, type: 1 }
      ]
    }
  });
  assert.equal(legacy.kind, 'buttons');
  assert.deepEqual(legacy.buttons, {
    format: 'buttonsMessage',
    text: 'pick one',
    footer: 'footer',
    buttons: [
      { type: 'reply', id: 'yes', text: 'Yes' },
      { type: 'reply', id: 'no', text: 'No' }
    ]
  });

  const template = await relayedToBob({
    templateMessage: {
      hydratedTemplate: {
        hydratedTitleText: 'Title',
        hydratedContentText: 'body',
        hydratedFooterText: 'footer',
        hydratedButtons: [
          { index: 0, quickReplyButton: { displayText: 'Ok', id: 'ok' } },
          { index: 1, urlButton: { displayText: 'Site', url: 'https://example.com' } },
          { index: 2, callButton: { displayText: 'Call', phoneNumber: '+15550000000' } }
        ]
      }
    }
  });
  assert.deepEqual(template.buttons, {
    format: 'templateMessage',
    title: 'Title',
    text: 'body',
    footer: 'footer',
    buttons: [
      { type: 'reply', id: 'ok', text: 'Ok' },
      { type: 'url', text: 'Site', url: 'https://example.com' },
      { type: 'call', text: 'Call', phoneNumber: '+15550000000' }
    ]
  });

  const nativeFlow = await relayedToBob({
    interactiveMessage: {
      header: { title: 'Order', hasMediaAttachment: false },
      body: { text: 'ready?' },
      footer: { text: 'shop' },
      nativeFlowMessage: {
        buttons: [
          { name: 'quick_reply', buttonParamsJson: JSON.stringify({ display_text: 'Yes', id: 'y' }) },
          { name: 'cta_url', buttonParamsJson: JSON.stringify({ display_text: 'Track', url: 'https://example.com/t' }) },
          { name: 'cta_copy', buttonParamsJson: JSON.stringify({ display_text: 'Copy', copy_code: 'CODE1' }) }
        ]
      }
    }
  });
  assert.equal(nativeFlow.kind, 'buttons');
  assert.deepEqual(nativeFlow.buttons, {
    format: 'interactiveMessage',
    title: 'Order',
    text: 'ready?',
    footer: 'shop',
    buttons: [
      { type: 'reply', id: 'y', text: 'Yes' },
      { type: 'url', text: 'Track', url: 'https://example.com/t' },
      { type: 'copy', text: 'Copy', code: 'CODE1' }
    ]
  });
});

test('lists: a hand-built list message and a native-flow single_select decode to the same shape', async () => {
  const sections = [{ title: 'Mains', rows: [{ id: 'pasta', title: 'Pasta', description: 'with tomato' }, { id: 'rice', title: 'Rice' }] }];
  const legacy = await relayedToBob({
    listMessage: {
      title: 'Menu',
      description: 'choose a dish',
      buttonText: 'Open menu',
      footerText: 'today only',
      listType: 1,
      sections: sections.map((s) => ({ title: s.title, rows: s.rows.map(({ id, ...row }) => ({ rowId: id, ...row })) }))
    }
  });
  assert.equal(legacy.kind, 'list');
  assert.deepEqual(legacy.list, { format: 'listMessage', title: 'Menu', text: 'choose a dish', buttonText: 'Open menu', footer: 'today only', sections });

  const nativeFlow = await relayedToBob({
    interactiveMessage: {
      header: { title: 'Menu', hasMediaAttachment: false },
      body: { text: 'choose a dish' },
      footer: { text: 'today only' },
      nativeFlowMessage: { buttons: [{ name: 'single_select', buttonParamsJson: JSON.stringify({ title: 'Open menu', sections }) }] }
    }
  });
  assert.equal(nativeFlow.kind, 'list');
  assert.deepEqual(nativeFlow.list, { ...legacy.list, format: 'interactiveMessage' });
});
