// The Profile category (WARest actions 63-67, 69-70; List Contacts belongs to the chat/contact store): the
// session's own profile, picture and privacy settings, and questions about other numbers. Session fields as the
// group routes (`sessionId|sessionid|id|session`, or the session's own number as `phone`).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import { parsePictureSource, PICTURE_MAX_BYTES } from '../../core/groups/picture-input.js';
import type { NumberInput, Profile } from '../../core/profile/profile.js';
import { sessionCommand } from '../commands.js';
import { field } from '../credentials.js';
import { listEntries, phoneDigits, USER_SERVER, type PhoneOptions } from '../jids.js';
import type { RequestParts } from '../params.js';
import { actionRoute } from '../route-table.js';
import type { RouteModule } from '../types.js';
import { answer } from '../views/warest/outcome.js';
import {
  businessProfileView,
  onWhatsAppView,
  privacyView,
  profileInfoView,
  profilePictureRemovedView,
  profilePictureSetView,
  profilePictureView
} from '../views/warest/profile.js';
import { fields, requiredText, TEXT } from './groups-http.js';

export interface ProfileRouteDeps {
  profile: Profile;
  phones: PhoneOptions;
}

const PICTURE_BODY_LIMIT = Math.ceil((PICTURE_MAX_BYTES * 1.5) / 3) * 4 + 64 * 1024;

const NUMBERS_KEYS = ['checkNumbers', 'checkNumber', 'numbers'] as const;
const NUMBERS = {
  type: ['string', 'array', 'number'],
  items: { type: ['string', 'number'] },
  description: 'phone numbers with country code (or …@s.whatsapp.net / …@c.us JIDs): comma-separated, or an array; aliases checkNumber, numbers'
} as const;
const NUMBER_FIELDS = { checkNumbers: NUMBERS, checkNumber: NUMBERS, numbers: NUMBERS } as const;
const DEEP = { type: ['boolean', 'string'], description: 'true: also each registered number’s picture, about text and business profile' } as const;

/**
 * `checkNumbers` as PN JIDs, each with what the caller wrote: national numbers get WAYGATE_DEFAULT_COUNTRY_CODE
 * (as recipients do), `…@s.whatsapp.net` and `…@c.us` their digits; LIDs and groups are refused (a LID cannot be
 * looked up by number). De-duplicated by number, first spelling kept.
 */
export function readCheckNumbers(parts: RequestParts, phones: PhoneOptions): NumberInput[] {
  const raw = NUMBERS_KEYS.map((key) => field(parts.query, key) ?? field(parts.body, key)).find((value) => value !== undefined && value !== null && value !== '');
  const numbers = new Map<string, NumberInput>();
  listEntries(raw).forEach((entry, index) => {
    const input = typeof entry === 'number' && Number.isFinite(entry) ? String(entry) : typeof entry === 'string' ? entry.trim() : undefined;
    if (input === undefined) throw new GatewayError('INVALID_PARAMETER', `checkNumbers[${index}] must be a phone number (text or digits)`);
    if (input === '') return;
    const at = input.lastIndexOf('@');
    const server = at < 0 ? USER_SERVER : input.slice(at + 1).toLowerCase();
    if (server !== USER_SERVER && server !== 'c.us') {
      const what = server === 'lid' ? 'is a LID; give the phone number' : server === 'g.us' ? 'is a group; give phone numbers' : 'is not a phone number or …@s.whatsapp.net JID';
      throw new GatewayError('INVALID_PARAMETER', `checkNumbers[${index}] "${input.slice(0, 80)}" ${what}`);
    }
    const parsed = phoneDigits(at < 0 ? input : input.slice(0, at).split(':')[0]!, phones);
    if ('problem' in parsed) throw new GatewayError('INVALID_PARAMETER', `checkNumbers[${index}] "${input.slice(0, 80)}" ${parsed.problem}`);
    const pn = `${parsed.digits}@${USER_SERVER}`;
    if (!numbers.has(pn)) numbers.set(pn, { input, pn });
  });
  if (numbers.size === 0) throw new GatewayError('MISSING_PARAMETER', 'checkNumbers is required: one or more phone numbers with country code, comma-separated or as an array');
  return [...numbers.values()];
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 'on']);
const FALSE = new Set(['', '0', 'false', 'no', 'n', 'off']);

function readDeep(parts: RequestParts): boolean {
  const raw = field(parts.query, 'deep') ?? field(parts.body, 'deep');
  if (raw === undefined || raw === null || typeof raw === 'boolean') return raw === true;
  const value = String(raw).trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new GatewayError('INVALID_PARAMETER', `deep must be true or false, not "${value.slice(0, 40)}"`);
}

function registerProfileRoutes(app: FastifyInstance, { profile, phones }: ProfileRouteDeps): void {
  app.route(
    actionRoute('getProfileInfo', {
      schema: { querystring: fields() },
      handler: async (request, reply) => answer(reply, profileInfoView(await profile.info(sessionCommand(request, 'profiles'))))
    })
  );

  app.route(
    actionRoute('getProfilePicture', {
      schema: { querystring: fields() },
      handler: async (request, reply) => answer(reply, profilePictureView(await profile.picture(sessionCommand(request, 'profiles'))))
    })
  );

  app.route(
    actionRoute('setProfilePicture', {
      bodyLimit: PICTURE_BODY_LIMIT,
      schema: {
        body: fields({
          picture: { type: 'string', description: 'data:image/…;base64,… or an http(s) URL (not a file path), at most 5 MB; aliases image, photo, avatar' },
          image: TEXT,
          photo: TEXT,
          avatar: TEXT
        })
      },
      handler: async (request, reply) => {
        const command = sessionCommand(request, 'profiles');
        const source = parsePictureSource(requiredText(request, ['picture', 'image', 'photo', 'avatar'], 'a data URI (data:image/jpeg;base64,…) or an http(s) URL'));
        return answer(reply, profilePictureSetView(await profile.setPicture(command, source)));
      }
    })
  );

  app.route(
    actionRoute('deleteProfilePicture', {
      schema: { body: fields() },
      handler: async (request, reply) => answer(reply, profilePictureRemovedView(await profile.removePicture(sessionCommand(request, 'profiles'))))
    })
  );

  app.route(
    actionRoute('getPrivacySettings', {
      schema: { querystring: fields() },
      handler: async (request, reply) => answer(reply, privacyView(await profile.privacy(sessionCommand(request, 'profiles'))))
    })
  );

  app.route(
    actionRoute('checkOnWhatsapp', {
      schema: { querystring: fields({ ...NUMBER_FIELDS, deep: DEEP }) },
      handler: async (request, reply) => {
        const command = sessionCommand(request, 'profiles');
        const numbers = readCheckNumbers(request, phones);
        return answer(reply, onWhatsAppView(await profile.checkNumbers(command, numbers, { deep: readDeep(request) })));
      }
    })
  );

  app.route(
    actionRoute('getBusinessProfile', {
      schema: { querystring: fields(NUMBER_FIELDS) },
      handler: async (request, reply) => {
        const command = sessionCommand(request, 'profiles');
        return answer(reply, businessProfileView(await profile.businessProfiles(command, readCheckNumbers(request, phones))));
      }
    })
  );
}

export function profileRoutes(deps: ProfileRouteDeps): RouteModule {
  const routes: FastifyPluginAsync = async (app) => registerProfileRoutes(app, deps);
  return { routes };
}
