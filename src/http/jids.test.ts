import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError, type AppCodeName } from '../core/errors.js';
import { normalizeParticipants, normalizeRecipients, normalizeSingleRecipient, phoneDigits } from './jids.js';

const failsWith = (code: AppCodeName, message?: RegExp) => (error: unknown) =>
  error instanceof GatewayError && error.code === code && (!message || message.test(error.message));

describe('phoneDigits', () => {
  it('keeps international numbers and strips formatting and 00', () => {
    assert.deepEqual(phoneDigits('+49 151 2345-6789'), { digits: '4915123456789' });
    assert.deepEqual(phoneDigits('0049 151 23456789'), { digits: '4915123456789' });
  });

  it('needs a configured country code for a leading 0 (no silent 62)', () => {
    assert.match((phoneDigits('08123456789') as { problem: string }).problem, /WAYGATE_DEFAULT_COUNTRY_CODE/);
    assert.deepEqual(phoneDigits('08123456789', { defaultCountryCode: '62' }), { digits: '628123456789' });
  });

  it('rejects numbers that are too short or too long', () => {
    assert.ok('problem' in phoneDigits('12345'));
    assert.ok('problem' in phoneDigits('1234567890123456'));
    assert.ok('problem' in phoneDigits('abc'));
  });
});

describe('normalizeParticipants', () => {
  it('normalises digits, @c.us and devices, keeps @lid, de-duplicates', () => {
    assert.deepEqual(
      normalizeParticipants(['+62 812 3456 789', '628123456789@c.us', '628123456789:12@s.whatsapp.net', '1234567890@lid', '1234567890:3@lid', 4915123456789]),
      ['628123456789@s.whatsapp.net', '1234567890@lid', '4915123456789@s.whatsapp.net'],
    );
  });

  it('accepts a comma-separated string', () => {
    assert.deepEqual(normalizeParticipants('4915123456789, 628123456789'), ['4915123456789@s.whatsapp.net', '628123456789@s.whatsapp.net']);
  });

  it('rejects an empty list naming participants, unless allowed', () => {
    assert.throws(() => normalizeParticipants([]), failsWith('MISSING_PARAMETER', /^participants is required/));
    assert.throws(() => normalizeParticipants(undefined), failsWith('MISSING_PARAMETER', /participants/));
    assert.deepEqual(normalizeParticipants([], { allowEmpty: true }), []);
  });

  it('names the bad entry', () => {
    assert.throws(() => normalizeParticipants(['4915123456789', '120363@g.us']), failsWith('INVALID_PARAMETER', /^participants\[1\] "120363@g.us" is not a user/));
    assert.throws(() => normalizeParticipants([{}]), failsWith('INVALID_PARAMETER', /participants\[0\] must be/));
    assert.throws(() => normalizeParticipants(['0812345678']), failsWith('INVALID_PARAMETER', /starts with 0/));
  });
});

describe('normalizeRecipients', () => {
  it('accepts arrays, JSON-array strings and separated strings, de-duplicated', () => {
    const expected = ['4915123456789@s.whatsapp.net', '628123456789@s.whatsapp.net'];
    assert.deepEqual(normalizeRecipients(['4915123456789', '628123456789', '+49 151 23456789']), expected);
    assert.deepEqual(normalizeRecipients('["4915123456789","628123456789"]'), expected);
    assert.deepEqual(normalizeRecipients('4915123456789;628123456789\n4915123456789'), expected);
  });

  it('keeps group, newsletter, broadcast and lid JIDs; converts @c.us and unknown suffixes', () => {
    assert.deepEqual(
      normalizeRecipients(['120363012345678901@g.us', '120363000000000001@newsletter', 'status@broadcast', '123456789012@lid', '628123456789@c.us', '628123456789@foo']),
      ['120363012345678901@g.us', '120363000000000001@newsletter', 'status@broadcast', '123456789012@lid', '628123456789@s.whatsapp.net'],
    );
  });

  it('uses the configured country code for a leading 0', () => {
    assert.deepEqual(normalizeRecipients('08123456789', { defaultCountryCode: '62' }), ['628123456789@s.whatsapp.net']);
    assert.throws(() => normalizeRecipients('08123456789'), failsWith('RECIPIENT_INVALID', /^to\[0\] "08123456789" starts with 0/));
  });

  it('fails clearly on missing or bad recipients', () => {
    assert.throws(() => normalizeRecipients(''), failsWith('MISSING_PARAMETER', /^to is required/));
    assert.throws(() => normalizeRecipients('abc@g.us'), failsWith('RECIPIENT_INVALID', /not a valid group id/));
  });

  it('takes a single recipient for action routes', () => {
    assert.equal(normalizeSingleRecipient('4915123456789'), '4915123456789@s.whatsapp.net');
    assert.throws(() => normalizeSingleRecipient('4915123456789,628123456789'), failsWith('INVALID_PARAMETER', /single recipient/));
  });
});
