import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateJid } from './jid-kind.js';

describe('JID validation', () => {
  it('tells the kind and the normal form', () => {
    const cases: [string, string, string | null][] = [
      ['4915123456789@s.whatsapp.net', 'user', '4915123456789@s.whatsapp.net'],
      ['4915123456789@c.us', 'user', '4915123456789@s.whatsapp.net'],
      ['4915123456789:12@s.whatsapp.net', 'user', '4915123456789@s.whatsapp.net'],
      ['+49 1512 3456789', 'user', '4915123456789@s.whatsapp.net'],
      ['81234567890123@lid', 'lid', '81234567890123@lid'],
      ['81234567890123:4@lid', 'lid', '81234567890123@lid'],
      ['120363012345678901@g.us', 'group', '120363012345678901@g.us'],
      ['4915123456789-1600000000@g.us', 'group', '4915123456789-1600000000@g.us'],
      ['status@broadcast', 'broadcast', 'status@broadcast'],
      ['1700000000@broadcast', 'broadcast', '1700000000@broadcast'],
      ['120363111111111111@newsletter', 'newsletter', '120363111111111111@newsletter']
    ];
    for (const [input, type, normalized] of cases) {
      const result = validateJid(input);
      assert.deepEqual([result.isValid, result.type, result.normalized], [true, type, normalized], input);
    }
    assert.equal(validateJid('4915123456789:12@s.whatsapp.net').device, 12);
    assert.equal(validateJid('status@broadcast').isStatus, true);
  });

  it('says what is wrong with malformed JIDs', () => {
    const cases: [string, string, RegExp][] = [
      ['hello@s.whatsapp.net', 'user', /6 to 15 digits/],
      ['123@s.whatsapp.net', 'user', /6 to 15 digits/],
      ['abc@g.us', 'group', /digits/],
      ['4915123456789@example.com', 'unknown', /not a WhatsApp server/],
      ['not a jid', 'unknown', /phone number or a JID/],
      ['120363012345678901:2@g.us', 'group', /no device/],
      ['4915123456789:x@s.whatsapp.net', 'user', /device/]
    ];
    for (const [input, type, reason] of cases) {
      const result = validateJid(input);
      assert.equal(result.isValid, false, input);
      assert.equal(result.type, type, input);
      assert.equal(result.normalized, null);
      assert.match(result.reason ?? '', reason, input);
    }
  });
});
