// Control routes for what an account shows the world, as its owner would set it on the phone: the about text,
// the profile picture, the privacy settings, and a WhatsApp Business profile (which makes it a business).
import type { FastifyInstance } from 'fastify';
import type { Account } from '../world/accounts.js';
import { accountOrThrow } from './accounts.js';
import { ControlError, type ControlDeps } from './api.js';

type Business = NonNullable<Account['business']>;

interface ProfileBody {
  name?: string;
  about?: string;
  /** base64 of a JPEG, or null to remove the picture */
  picture?: string | null;
  privacy?: Record<string, string>;
  /** null: no longer a business */
  business?: { description?: string; category?: string; email?: string; website?: string | string[]; address?: string } | null;
}

/** What WhatsApp's privacy categories take (the phone's settings screen). */
const PRIVACY_VALUES = ['all', 'contacts', 'contact_blacklist', 'none', 'match_last_seen', 'known'];

const text = { type: 'string', maxLength: 1024 } as const;
const profileSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    about: { type: 'string', maxLength: 139 },
    picture: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    privacy: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', enum: PRIVACY_VALUES }, propertyNames: { pattern: '^[a-z_]{2,32}$' } },
    business: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            description: { type: 'string', maxLength: 512 },
            category: text,
            email: text,
            website: { anyOf: [text, { type: 'array', items: text, maxItems: 2 }] },
            address: text
          }
        }
      ]
    }
  }
};

export function describeProfile(account: Account) {
  return {
    phone: account.phone,
    name: account.name,
    about: account.about,
    aboutSetAt: account.aboutSetAt,
    picture: account.picture ? { id: account.picture.id, bytes: account.picture.jpeg.length } : null,
    privacy: Object.fromEntries(account.privacy),
    business: account.business ?? null
  };
}

function business(given: NonNullable<ProfileBody['business']>): Business {
  const website = given.website === undefined ? [] : Array.isArray(given.website) ? given.website : [given.website];
  return {
    description: given.description ?? '',
    ...(given.category ? { category: given.category } : {}),
    ...(given.email ? { email: given.email } : {}),
    ...(given.address ? { address: given.address } : {}),
    ...(website.length ? { website } : {})
  };
}

export function profileRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.get<{ Params: { phone: string } }>('/sandbox/v1/accounts/:phone/profile', async (request) => describeProfile(accountOrThrow(deps, request.params.phone)));

  app.post<{ Params: { phone: string }; Body: ProfileBody }>('/sandbox/v1/accounts/:phone/profile', { schema: { body: profileSchema } }, async (request) => {
    const account = accountOrThrow(deps, request.params.phone);
    const body = request.body;
    let picture: Buffer | undefined;
    if (typeof body.picture === 'string') {
      picture = Buffer.from(body.picture.replace(/^data:[^,]*,/, ''), 'base64');
      if (picture.length < 4 || picture[0] !== 0xff || picture[1] !== 0xd8) throw new ControlError(400, 'picture must be the base64 of a JPEG (WhatsApp keeps profile pictures as JPEG), or null to remove it');
    }
    if (body.name !== undefined) account.name = body.name;
    if (body.about !== undefined) {
      account.about = body.about;
      account.aboutSetAt = Math.floor(Date.now() / 1000);
    }
    if (picture) account.picture = { id: String(Date.now()), jpeg: picture };
    else if (body.picture === null) delete account.picture;
    for (const [name, value] of Object.entries(body.privacy ?? {})) account.privacy.set(name, value);
    if (body.business === null) delete account.business;
    else if (body.business) account.business = business(body.business);
    return describeProfile(account);
  });
}
