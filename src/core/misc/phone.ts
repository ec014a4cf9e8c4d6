// "Validate Phone": a phone number read with libphonenumber-js (its full metadata, so the number type is known):
// validity, E.164, national and international forms, country, type, and the WhatsApp JID it would have. A
// number with its country code (+…, 00…, or the bare digits WhatsApp JIDs carry) needs no country; a
// national one (trunk 0 or too short to be international) does.
import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { GatewayError } from '../errors.js';

export interface PhoneValidation {
  input: string;
  isValid: boolean;
  isPossible: boolean;
  /** why it is not valid (libphonenumber's word: TOO_SHORT, TOO_LONG, INVALID_COUNTRY, INVALID_LENGTH, NOT_A_NUMBER) */
  reason: string | null;
  e164: string | null;
  national: string | null;
  international: string | null;
  /** ISO 3166 code, e.g. DE */
  country: string | null;
  countryCallingCode: string | null;
  /** mobile, fixed_line, fixed_line_or_mobile, voip, toll_free, … (null when unknown) */
  type: string | null;
  /** `<digits>@s.whatsapp.net` for a valid number */
  jid: string | null;
}

function countryOf(raw: string | undefined): CountryCode | undefined {
  if (raw === undefined) return undefined;
  const code = raw.trim().toUpperCase();
  const iso = code === 'UK' ? 'GB' : code;
  if (!isSupportedCountry(iso)) throw new GatewayError('INVALID_PARAMETER', `country "${raw.slice(0, 20)}" is not an ISO 3166 country code such as DE, GB, US, ID`);
  return iso;
}

const national = (phone: string) =>
  new GatewayError('INVALID_PARAMETER', `phone "${phone.slice(0, 40)}" has no (valid) country code: for a national number pass country (e.g. "country": "DE"), or write it with + and the country code`);

/** The text to parse, and whether bare digits were taken as international (they may be a national number). */
function parseable(phone: string, country: CountryCode | undefined): { text: string; guessed: boolean } {
  const trimmed = phone.trim().replace(/@(s\.whatsapp\.net|c\.us)$/i, '');
  if (trimmed.startsWith('+')) return { text: trimmed, guessed: false };
  const digits = trimmed.replace(/[\s().\-/]/g, '');
  if (digits.startsWith('00')) return { text: `+${digits.slice(2)}`, guessed: false };
  if (country) return { text: trimmed, guessed: false };
  if (/^\d+$/.test(digits) && !digits.startsWith('0')) return { text: `+${digits}`, guessed: true };
  throw national(phone);
}

export function validatePhone(phone: string, countryRaw?: string): PhoneValidation {
  const country = countryOf(countryRaw);
  const { text, guessed } = parseable(phone, country);
  let result: PhoneValidation;
  try {
    result = read(phone, text, country);
  } catch {
    // libphonenumber refuses some inputs by throwing (absurd lengths, stray characters): not a number either way.
    result = { input: phone, isValid: false, isPossible: false, reason: 'NOT_A_NUMBER', e164: null, national: null, international: null, country: null, countryCallingCode: null, type: null, jid: null };
  }
  // Bare digits that are no valid international number are most likely a national one.
  if (guessed && !result.isValid) throw national(phone);
  return result;
}

function read(phone: string, text: string, country: CountryCode | undefined): PhoneValidation {
  const parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  const empty = { input: phone, isValid: false, isPossible: false, e164: null, national: null, international: null, country: null, countryCallingCode: null, type: null, jid: null };
  if (!parsed) {
    const reason = validatePhoneNumberLength(text, country ? { defaultCountry: country } : undefined) ?? 'NOT_A_NUMBER';
    return { ...empty, reason };
  }
  const isValid = parsed.isValid();
  const isPossible = parsed.isPossible();
  const reason = isValid ? null : (validatePhoneNumberLength(text, country ? { defaultCountry: country } : undefined) ?? 'INVALID_NUMBER');
  return {
    input: phone,
    isValid,
    isPossible,
    reason,
    e164: parsed.number,
    national: parsed.formatNational(),
    international: parsed.formatInternational(),
    country: parsed.country ?? null,
    countryCallingCode: parsed.countryCallingCode,
    type: parsed.getType()?.toLowerCase() ?? null,
    jid: isValid ? `${parsed.number.slice(1)}@s.whatsapp.net` : null,
  };
}
