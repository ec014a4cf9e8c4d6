// "Validate JID": what kind of WhatsApp address a text is (a phone-number user, a LID, a group, a broadcast
// list or status, a newsletter), whether it is well formed, and its normal form (no device, `@c.us` →
// `@s.whatsapp.net`). Bare digits are a phone-number user. Pure: no session needed.
export type JidType = 'user' | 'lid' | 'group' | 'broadcast' | 'newsletter' | 'unknown';

export interface JidValidation {
  input: string;
  isValid: boolean;
  type: JidType;
  /** the JID without device or agent, `@c.us` written `@s.whatsapp.net`; null when invalid */
  normalized: string | null;
  user: string | null;
  server: string | null;
  /** the device of a device JID (`user:3@…`), else null */
  device: number | null;
  /** status@broadcast, where status updates go */
  isStatus: boolean;
  /** what is wrong, when invalid */
  reason: string | null;
}

const SERVER_TYPES: Record<string, Exclude<JidType, 'unknown'>> = {
  's.whatsapp.net': 'user', 'c.us': 'user', hosted: 'user',
  lid: 'lid', 'hosted.lid': 'lid',
  'g.us': 'group', broadcast: 'broadcast', newsletter: 'newsletter',
};

const USER_RULES: Record<Exclude<JidType, 'unknown'>, { pattern: RegExp; what: string }> = {
  user: { pattern: /^[1-9]\d{5,14}$/, what: 'a phone number of 6 to 15 digits, country code first' },
  lid: { pattern: /^\d{1,20}$/, what: 'digits' },
  group: { pattern: /^\d{6,}(-\d+)?$/, what: 'digits (old groups: creator-timestamp)' },
  broadcast: { pattern: /^(status|\d{1,20})$/, what: 'status or digits' },
  newsletter: { pattern: /^\d{6,}$/, what: 'digits' },
};

export function validateJid(raw: string): JidValidation {
  const input = raw.trim();
  const invalid = (type: JidType, reason: string, parts: Partial<JidValidation> = {}): JidValidation => ({
    input: raw, isValid: false, type, normalized: null, user: null, server: null, device: null, isStatus: false, reason, ...parts,
  });
  const at = input.lastIndexOf('@');
  // Bare digits (optionally with + and separators) are a phone number.
  const local = at < 0 ? input.replace(/^\+/, '').replace(/[\s().-]/g, '') : input.slice(0, at);
  const server = at < 0 ? 's.whatsapp.net' : input.slice(at + 1).toLowerCase();
  const type = at < 0 && !/^\d+$/.test(local) ? undefined : SERVER_TYPES[server];
  if (!type) return invalid('unknown', at < 0 ? 'not digits and no @server: send a phone number or a JID such as 4915123456789@s.whatsapp.net' : `@${server.slice(0, 40)} is not a WhatsApp server (s.whatsapp.net, c.us, lid, g.us, broadcast, newsletter)`);
  // user[_agent][:device]
  const [userAgent = '', deviceText] = local.split(':');
  const [user = ''] = userAgent.split('_');
  const device = deviceText === undefined ? null : /^\d{1,3}$/.test(deviceText) ? Number(deviceText) : NaN;
  const canonicalServer = server === 'c.us' ? 's.whatsapp.net' : server;
  const parts = { user, server: canonicalServer };
  if (Number.isNaN(device)) return invalid(type, `the device after ':' must be a number`, parts);
  if (device !== null && type !== 'user' && type !== 'lid') return invalid(type, `a ${type} JID has no device`, parts);
  const rule = USER_RULES[type];
  if (!rule.pattern.test(user)) return invalid(type, `the part before @ must be ${rule.what}`, parts);
  return {
    input: raw, isValid: true, type, normalized: `${user}@${canonicalServer}`, user, server: canonicalServer, device,
    isStatus: type === 'broadcast' && user === 'status', reason: null,
  };
}
