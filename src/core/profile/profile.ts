// The profile actions as commands: the session's own profile (name, about, picture, business flag), its
// picture (read, set, remove), its privacy settings, and questions about other numbers (on WhatsApp? business
// profile?). Each takes who is asking and which session plus plain input, and returns data; views shape it.
import { EngineError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import type { AboutText, BusinessProfile, ProfilePicture } from '../../engine/profile.js';
import { GatewayError } from '../errors.js';
import { loadPicture, type PictureLoadOptions, type PictureSource } from '../groups/picture-input.js';
import type { SessionAccess, SessionCommand, WorkingSession } from '../sessions/session-access.js';
import type { OnWhatsAppCache } from './on-whatsapp.js';
import { profilePictureJpeg } from './profile-image.js';

export interface ProfileDeps {
  access: SessionAccess;
  onWhatsApp: OnWhatsAppCache;
  pictures: PictureLoadOptions;
  /** most numbers one check-on-WhatsApp or business-profile request may name (WAYGATE_MAX_CHECK_NUMBERS) */
  maxNumbers: number;
}

/** The session the answer is about: its id and own number (digits), as every result carries them. */
export interface ProfileOn {
  sessionId: string;
  phone: string | null;
}

export interface PictureVersions {
  /** the full-size picture */
  full: ProfilePicture | null;
  preview: ProfilePicture | null;
}

export interface OwnProfile {
  on: ProfileOn;
  /** our PN JID, without the device */
  jid: string;
  lid: string | null;
  pushName: string | null;
  about: AboutText | null;
  picture: PictureVersions;
  business: BusinessProfile | null;
}

/** A number to ask about: what the caller wrote and the PN JID it stands for. */
export interface NumberInput {
  input: string;
  pn: string;
}

export interface NumberCheck {
  input: string;
  /** digits */
  phone: string;
  exists: boolean;
  /** the PN JID WhatsApp answered (the one asked when it does not exist) */
  jid: string;
  lid: string | null;
  /** with `deep`, for numbers on WhatsApp */
  details?: { picture: PictureVersions; about: AboutText | null; business: BusinessProfile | null };
}

export interface BusinessLookup {
  input: string;
  phone: string;
  jid: string;
  profile: BusinessProfile | null;
}

/** At most this many per-number WhatsApp reads run at once (pictures, about texts, business profiles). */
const READ_CONCURRENCY = 5;

const digitsOf = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? null;
const bare = (jid: string) => `${digitsOf(jid)}@${jid.slice(jid.indexOf('@') + 1)}`;

async function mapLimit<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const on = (working: WorkingSession): ProfileOn => ({ sessionId: working.session.id, phone: working.phone });

function ownJid(engine: EngineSession): { jid: string; lid: string | null } {
  const me = engine.me;
  if (!me) throw new GatewayError('SESSION_NOT_LOGGED_IN', 'The session is not linked to a WhatsApp account yet: scan the QR or finish pairing first');
  return { jid: bare(me.id), lid: me.lid ? bare(me.lid) : null };
}

async function pictures(engine: EngineSession, jid: string): Promise<PictureVersions> {
  const [full, preview] = await Promise.all([engine.profile.picture(jid), engine.profile.picture(jid, { preview: true })]);
  return { full, preview };
}

export class Profile {
  constructor(private readonly deps: ProfileDeps) {}

  async info(command: SessionCommand): Promise<OwnProfile> {
    const working = await this.deps.access.working(command);
    const { engine } = working;
    const { jid, lid } = ownJid(engine);
    const [about, picture, business] = await Promise.all([engine.profile.about(jid), pictures(engine, jid), engine.profile.businessProfile(jid)]);
    return { on: on(working), jid, lid, pushName: engine.me?.name ?? null, about, picture, business };
  }

  async picture(command: SessionCommand): Promise<{ on: ProfileOn; picture: PictureVersions }> {
    const working = await this.deps.access.working(command);
    return { on: on(working), picture: await pictures(working.engine, ownJid(working.engine).jid) };
  }

  /** Sets the session's own picture from a data URI or URL: loaded (SSRF guard, 5 MB), decoded and made a 640 px square JPEG. */
  async setPicture(command: SessionCommand, source: PictureSource): Promise<{ on: ProfileOn; picture: PictureVersions }> {
    const working = await this.deps.access.working(command);
    const jpeg = await profilePictureJpeg(await loadPicture(source, this.deps.pictures));
    const { engine } = working;
    try {
      await engine.profile.setPicture(jpeg);
    } catch (err) {
      // The engine's image library failing on the bytes is the only failure that is not an engine error.
      if (err instanceof EngineError || err instanceof GatewayError) throw err;
      throw new GatewayError('INVALID_PARAMETER', `picture is invalid or unreadable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return { on: on(working), picture: await pictures(engine, ownJid(engine).jid) };
  }

  async removePicture(command: SessionCommand): Promise<{ on: ProfileOn }> {
    const working = await this.deps.access.working(command);
    await working.engine.profile.removePicture();
    return { on: on(working) };
  }

  async privacy(command: SessionCommand): Promise<{ on: ProfileOn; settings: Record<string, string> }> {
    const working = await this.deps.access.working(command);
    return { on: on(working), settings: await working.engine.profile.privacy() };
  }

  /** Which numbers have WhatsApp, with their PN and LID; `deep` adds picture, about text and business profile of those that do. */
  async checkNumbers(command: SessionCommand, numbers: NumberInput[], options: { deep?: boolean } = {}): Promise<{ on: ProfileOn; checks: NumberCheck[] }> {
    this.requireWithinCap(numbers);
    const working = await this.deps.access.working(command);
    const { engine } = working;
    const answers = await this.deps.onWhatsApp.check(working.session.id, engine, numbers.map((n) => n.pn));
    const checks: NumberCheck[] = numbers.map(({ input, pn }, i) => {
      const answer = answers[i]!;
      return { input, phone: digitsOf(answer.jid ?? pn)!, exists: answer.exists, jid: answer.jid ?? pn, lid: answer.lid };
    });
    if (options.deep) {
      await mapLimit(
        checks.filter((c) => c.exists),
        READ_CONCURRENCY,
        async (check) => {
          const [picture, about, business] = await Promise.all([pictures(engine, check.jid), engine.profile.about(check.jid), engine.profile.businessProfile(check.jid)]);
          check.details = { picture, about, business };
        }
      );
    }
    return { on: on(working), checks };
  }

  /** The business profile of each number; null for numbers that are not WhatsApp Business accounts. */
  async businessProfiles(command: SessionCommand, numbers: NumberInput[]): Promise<{ on: ProfileOn; profiles: BusinessLookup[] }> {
    this.requireWithinCap(numbers);
    const working = await this.deps.access.working(command);
    const { engine } = working;
    const profiles = await mapLimit(numbers, READ_CONCURRENCY, async ({ input, pn }) => ({
      input,
      phone: digitsOf(pn)!,
      jid: pn,
      profile: await engine.profile.businessProfile(pn)
    }));
    return { on: on(working), profiles };
  }

  private requireWithinCap(numbers: NumberInput[]): void {
    if (numbers.length === 0) throw new GatewayError('MISSING_PARAMETER', 'checkNumbers is required: one or more phone numbers with country code, comma-separated or as an array');
    if (numbers.length > this.deps.maxNumbers) {
      throw new GatewayError(
        'INVALID_PARAMETER',
        `checkNumbers names ${numbers.length} numbers; at most ${this.deps.maxNumbers} per request (WAYGATE_MAX_CHECK_NUMBERS): split the list`
      );
    }
  }
}
