// JID parsing and normalisation at the adapter's edge, on Baileys' own JID helpers: command arguments in,
// device-free JIDs out.
import { isJidGroup, isLidUser, isPnUser, jidDecode, jidEncode, jidNormalizedUser } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';

/** `user[:device]@server` → `user@server` (`@c.us` becomes `@s.whatsapp.net`); '' for anything unparsable. */
export function bareJid(jid: string | null | undefined): string {
  return jid ? jidNormalizedUser(jid) : '';
}

export function isPn(jid: string | null | undefined): jid is string {
  return !!jid && !!isPnUser(bareJid(jid));
}

export function isLid(jid: string | null | undefined): jid is string {
  return !!jid && !!isLidUser(jid);
}

/** A person: international digits (optionally `+`), a PN JID (`@s.whatsapp.net`, `@c.us`) or a LID. */
export function userJid(input: string, argument = 'jid'): string {
  const trimmed = input.trim();
  if (/^\+?\d{6,15}$/.test(trimmed)) return jidEncode(trimmed.replace('+', ''), 's.whatsapp.net');
  const normalised = bareJid(trimmed);
  const user = jidDecode(normalised)?.user ?? '';
  if ((isPnUser(normalised) || isLidUser(normalised)) && /^\d+$/.test(user)) return normalised;
  throw new EngineInvalidArgumentError(argument, `"${input}" is not a phone number, PN JID or LID`);
}

/** A group: `<id>@g.us` or the bare id. */
export function groupJid(input: string, argument = 'groupId'): string {
  const trimmed = input.trim();
  const jid = trimmed.includes('@') ? trimmed : `${trimmed}@g.us`;
  if (isJidGroup(jid) && /^[\d-]+$/.test(jidDecode(jid)?.user ?? '')) return jid;
  throw new EngineInvalidArgumentError(argument, `"${input}" is not a group id (…@g.us)`);
}

/** Where a message goes: a group or a person. */
export function chatJid(input: string, argument = 'to'): string {
  return input.trim().endsWith('@g.us') ? groupJid(input, argument) : userJid(input, argument);
}

export function userJids(inputs: string[], argument: string): string[] {
  if (inputs.length === 0) throw new EngineInvalidArgumentError(argument, 'must name at least one person');
  return inputs.map((input) => userJid(input, argument));
}
