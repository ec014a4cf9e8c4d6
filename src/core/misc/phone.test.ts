import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { validatePhone } from './phone.js';

describe('phone validation', () => {
  it('reads international numbers in every spelling', () => {
    for (const phone of ['+49 1512 3456789', '004915123456789', '4915123456789', '4915123456789@s.whatsapp.net']) {
      const result = validatePhone(phone);
      assert.equal(result.isValid, true, phone);
      assert.equal(result.e164, '+4915123456789');
      assert.equal(result.country, 'DE');
      assert.equal(result.type, 'mobile');
      assert.equal(result.jid, '4915123456789@s.whatsapp.net');
      assert.equal(result.national, '01512 3456789');
    }
  });

  it('reads national numbers with their country', () => {
    const result = validatePhone('0812-3456-7890', 'id');
    assert.deepEqual([result.isValid, result.e164, result.country, result.countryCallingCode, result.international], [true, '+6281234567890', 'ID', '62', '+62 812 3456 7890']);
    assert.equal(validatePhone('020 7946 0958', 'UK').country, 'GB', 'UK is read as GB');
  });

  it('says to pass country for a national number, and refuses an unknown country', () => {
    const nationalHint = (err: unknown) => err instanceof GatewayError && err.status === 400 && /pass country/.test(err.message);
    assert.throws(() => validatePhone('015123456789'), nationalHint);
    assert.throws(() => validatePhone('2025550143'), nationalHint, 'ten digits that are no international number');
    assert.throws(() => validatePhone('+4915123456789', 'XX'), /ISO 3166/);
  });

  it('answers invalid numbers with isValid false and a reason', () => {
    const short = validatePhone('+49 12');
    assert.deepEqual([short.isValid, short.jid, short.reason], [false, null, 'TOO_SHORT']);
    assert.equal(validatePhone('+999 123456').reason, 'INVALID_COUNTRY');
    assert.equal(validatePhone('123', 'DE').isValid, false);
  });
});
