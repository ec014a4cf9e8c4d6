// Profile commands: our own picture (`w:profile:picture` without a target), privacy settings (`privacy`), about
// texts (usync `status`), pictures of anyone, and business profiles (`w:biz`).
import { getBinaryNodeChild, S_WHATSAPP_NET } from 'baileys';
import { EngineInvalidArgumentError, EngineNotConnectedError, EngineRemoteError } from '../errors.js';
import type { AboutText, BusinessHours, BusinessProfile, ProfileCommands, ProfilePicture } from '../profile.js';
import type { CommandContext } from './command-context.js';
import { bareJid, isLid, userJid } from './jids.js';
import { required } from './remote-call.js';

/** WhatsApp answers 404 when there is no picture and 401 when its owner hides it from us: both mean "none to show". */
async function orNone<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EngineRemoteError && (error.code === 404 || error.code === 401)) return null;
    throw error;
  }
}

function ownJid(ctx: CommandContext): string {
  const me = ctx.me();
  if (!me) throw new EngineNotConnectedError('SCAN_QR_CODE');
  return bareJid(me.id);
}

const isSelf = (ctx: CommandContext, jid: string) => {
  const me = ctx.me();
  return !!me && (jid === bareJid(me.id) || (!!me.lid && jid === bareJid(me.lid)));
};

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const minutes = (value: unknown): number | null => {
  const n = Number(value);
  return value !== undefined && value !== null && value !== '' && Number.isFinite(n) ? n : null;
};

export function makeProfileCommands(ctx: CommandContext): ProfileCommands {
  const { call } = ctx;

  /** Our own picture, asked directly (WhatsApp Web sends no privacy token for itself), so WhatsApp's picture id comes too. */
  const ownPicture = (jid: string, type: 'image' | 'preview'): Promise<ProfilePicture | null> =>
    orNone(async () => {
      const answer = await call('profile.picture', (sock) =>
        sock.query({
          tag: 'iq',
          attrs: { target: jid, to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:profile:picture' },
          content: [{ tag: 'picture', attrs: { type, query: 'url' } }]
        })
      );
      const picture = getBinaryNodeChild(answer, 'picture')?.attrs;
      return picture?.url ? { url: picture.url, id: picture.id ?? null } : null;
    });

  return {
    async picture(jid, options = {}) {
      const target = userJid(jid, 'jid');
      const type = options.preview ? 'preview' : 'image';
      if (isSelf(ctx, target)) return ownPicture(target, type);
      return orNone(async () => {
        const url = await call('profilePictureUrl', (sock) => sock.profilePictureUrl(target, type));
        return url ? { url, id: null } : null;
      });
    },
    async setPicture(image) {
      if (image.length === 0) throw new EngineInvalidArgumentError('image', 'must not be empty');
      const jid = ownJid(ctx);
      await call('profile.setPicture', (sock) => sock.updateProfilePicture(jid, image));
    },
    async removePicture() {
      const jid = ownJid(ctx);
      await call('profile.removePicture', (sock) => sock.removeProfilePicture(jid));
    },
    async privacy() {
      // `force`: Baileys keeps the first answer for the whole connection; settings change from the phone meanwhile.
      const settings = required(await call('profile.privacy', (sock) => sock.fetchPrivacySettings(true)), 'profile.privacy', 'privacy settings');
      return Object.fromEntries(Object.entries(settings).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    },
    async about(jid) {
      const target = userJid(jid, 'jid');
      const rows = required(await call('profile.about', (sock) => sock.fetchStatus(target)), 'profile.about', 'user list');
      const row = rows.find((r) => bareJid(r.id) === target) ?? rows[0];
      const status = row?.status as { status?: string | null; setAt?: Date } | undefined;
      if (!row || !status) return null;
      const seconds = status.setAt instanceof Date ? Math.floor(status.setAt.getTime() / 1000) : 0;
      return { text: text(status.status), setAt: seconds > 0 ? seconds : null } satisfies AboutText;
    },
    async businessProfile(jid) {
      const target = userJid(jid, 'jid');
      if (isLid(target)) throw new EngineInvalidArgumentError('jid', `must be a phone number for a business profile; ${target} is a LID`);
      const raw = await orNone(() => call('profile.businessProfile', (sock) => sock.getBusinessProfile(target)));
      if (!raw) return null;
      const hours = (raw.business_hours?.business_config ?? []).map(
        (entry): BusinessHours => ({
          day: text(entry.day_of_week),
          mode: text(entry.mode),
          openMinutes: minutes(entry.open_time),
          closeMinutes: minutes(entry.close_time)
        })
      );
      return {
        jid: raw.wid ? bareJid(raw.wid) : target,
        description: text(raw.description),
        category: text(raw.category),
        email: text(raw.email),
        website: (raw.website ?? []).filter((site): site is string => !!text(site)),
        address: text(raw.address),
        hoursTimezone: text(raw.business_hours?.timezone),
        hours
      } satisfies BusinessProfile;
    }
  };
}
