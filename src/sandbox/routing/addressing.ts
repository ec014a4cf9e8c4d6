// How the sandbox names accounts and devices on the wire: PN or LID form, and the alternate attributes
// WhatsApp adds so a client learns the other form (whatsapp-web-wire.md §9).
import { jidNormalizedUser } from 'baileys';
import type { Attrs } from '../stanza.js';
import type { Account, DeviceAddress } from '../world/accounts.js';

export type AddressForm = 'pn' | 'lid';

export const formOf = (jid: string): AddressForm => (jid.endsWith('@lid') ? 'lid' : 'pn');

export const userJid = (account: Account, form: AddressForm): string => (form === 'lid' ? account.lidJid : account.pnJid);

export const deviceJid = ({ account, device }: DeviceAddress, form: AddressForm): string =>
  form === 'lid' ? account.lidDevice(device) : account.pnDevice(device);

/** `sender_pn` on LID-addressed stanzas, `sender_lid` on PN-addressed ones (same for `participant_*`). */
export function alternate(account: Account, form: AddressForm, role: 'sender' | 'participant'): Attrs {
  return form === 'lid' ? { [`${role}_pn`]: account.pnJid } : { [`${role}_lid`]: account.lidJid };
}

export const sameDevice = (a: DeviceAddress, b: DeviceAddress): boolean => a.account === b.account && a.device === b.device;

export const deviceKey = ({ account, device }: DeviceAddress): string => `${account.phone}:${device}`;

/** The user JID of any device JID, keeping its form (`123:4@lid` → `123@lid`). */
export const bareJid = (jid: string): string => jidNormalizedUser(jid);
