// How profile results look to WARest clients: WARest's messages and field names (`profilePicture {url, id,
// type, imgFull, imgPreview}`, privacy under `readReceipts`, `lastSeen`…, `{jid, phone, isOnWhatsApp}` per
// number, business profiles with `categories`, `websites`, `businessHours`), each result starting with the
// session's `{sessionId, phone}`, plus Waygate's additions (LIDs, `exists`, `input`, `isBusiness`).
import type { BusinessHours, BusinessProfile, ProfilePicture } from '../../../engine/profile.js';
import type { BusinessLookup, NumberCheck, OwnProfile, PictureVersions, ProfileOn } from '../../../core/profile/profile.js';
import { succeeded } from './outcome.js';

/** WARest's picture object: the full image when there is one, else the preview. */
function pictureData({ full, preview }: PictureVersions) {
  const chosen: ProfilePicture | null = full ?? preview;
  return {
    url: chosen?.url ?? null,
    id: full?.id ?? preview?.id ?? null,
    type: full ? 'image' : preview ? 'preview' : null,
    imgFull: full?.url ?? null,
    imgPreview: preview?.url ?? null
  };
}

const hhmm = (minutes: number | null) => (minutes === null ? null : `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);

const hoursData = (hours: BusinessHours[]) => hours.map((h) => ({ day_of_week: h.day, mode: h.mode, open_time: hhmm(h.openMinutes), close_time: hhmm(h.closeMinutes) }));

const digitsOf = (jid: string) => jid.split(/[:@]/)[0] ?? null;

/** WARest's business profile shape; every field empty (and `isBusiness: false`) for a number that is not a business. */
function businessData(jid: string, profile: BusinessProfile | null) {
  return {
    jid,
    phone: digitsOf(jid),
    isBusiness: !!profile,
    email: profile?.email ?? null,
    address: profile?.address ?? null,
    categories: profile?.category ? [profile.category] : [],
    businessHoursTimezone: profile?.hoursTimezone ?? null,
    businessHours: profile ? hoursData(profile.hours) : [],
    description: profile?.description ?? null,
    websites: profile?.website ?? [],
    wid: profile?.jid ?? null
  };
}

export const profileInfoView = (info: OwnProfile) => {
  const picture = pictureData(info.picture);
  const digits = digitsOf(info.jid);
  return succeeded('Profile info', {
    ...info.on,
    jid: info.jid,
    lid: info.lid,
    // WARest reports the push name here when WhatsApp gives no verified business name; so do we.
    verifiedName: info.pushName,
    pushName: info.pushName,
    about: info.about?.text ?? null,
    aboutSetAt: info.about?.setAt ?? null,
    pictureId: picture.id,
    isBusiness: !!info.business,
    businessProfile: info.business ? businessData(info.jid, info.business) : null,
    entries: { User: digits, Agent: 0, Device: null, Server: 's.whatsapp.net' },
    profilePicture: picture
  });
};

export const profilePictureView = ({ on, picture }: { on: ProfileOn; picture: PictureVersions }) => succeeded('Profile picture', { ...on, ...pictureData(picture) });

export const profilePictureSetView = ({ on, picture }: { on: ProfileOn; picture: PictureVersions }) =>
  succeeded('Profile picture updated', { ...on, ...pictureData(picture), status: 'success update profile picture' });

export const profilePictureRemovedView = ({ on }: { on: ProfileOn }) => succeeded('Profile picture removed', { ...on, status: 'success remove profile picture' });

/** WARest's privacy fields (its `stikers` spelling kept), each WhatsApp's value or null when WhatsApp did not report it, plus everything WhatsApp sent. */
export const privacyView = ({ on, settings }: { on: ProfileOn; settings: Record<string, string> }) =>
  succeeded('Privacy settings', {
    ...on,
    readReceipts: settings.readreceipts ?? null,
    profilePhoto: settings.profile ?? null,
    status: settings.status ?? null,
    online: settings.online ?? null,
    lastSeen: settings.last ?? null,
    groupAdd: settings.groupadd ?? null,
    callAdd: settings.calladd ?? null,
    stikers: settings.stickers ?? null,
    messages: settings.messages ?? null,
    settings
  });

function checkData(check: NumberCheck) {
  return {
    input: check.input,
    jid: check.jid,
    lid: check.lid,
    phone: check.phone,
    isOnWhatsApp: check.exists,
    exists: check.exists,
    ...(check.details
      ? {
          picture: { full: check.details.picture.full?.url ?? null, preview: check.details.picture.preview?.url ?? null },
          about: check.details.about?.text ?? null,
          businessProfile: check.details.business ? businessData(check.jid, check.details.business) : null
        }
      : {})
  };
}

/** WARest answers one number as an object under `data` and several as an array; so do we. */
export const onWhatsAppView = ({ on, checks }: { on: ProfileOn; checks: NumberCheck[] }) =>
  succeeded('Lookup complete', { ...on, data: checks.length === 1 ? checkData(checks[0]!) : checks.map(checkData) });

/** WARest answers one number with the profile itself and several as `{data: [...]}`. */
export const businessProfileView = ({ on, profiles }: { on: ProfileOn; profiles: BusinessLookup[] }) => {
  const entries = profiles.map((p) => ({ input: p.input, ...businessData(p.jid, p.profile) }));
  return succeeded('Business profile info', entries.length === 1 ? { sessionId: on.sessionId, ...entries[0]! } : { ...on, data: entries });
};
