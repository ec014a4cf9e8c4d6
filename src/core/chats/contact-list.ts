// List Contacts (WARest's profile/list-contacts): the people in the session's contact store, or the members of
// its groups (all, or the groups named), paged; `deep` adds each listed person's picture URL, asked of WhatsApp
// for the page only.
import type { Db } from '../../store/database.js';
import { findContact, listContacts } from '../../store/repos/contacts.js';
import { GatewayError } from '../errors.js';
import type { GroupMetadataCache } from '../groups/metadata-cache.js';
import type { SessionAccess, SessionCommand } from '../sessions/session-access.js';

export interface ContactListInput {
  type: 'contacts' | 'groups';
  deep: boolean;
  /** normalised group ids (…@g.us); empty = every group */
  groupIds: string[];
  limit: number;
  offset: number;
}

export interface ListedContact {
  jid: string;
  phone: string | null;
  lid: string | null;
  name: string | null;
  notify: string | null;
  verifiedName: string | null;
  /** groups: the groups of the session the person is in */
  groups?: string[];
  /** deep: the picture URL, null when none */
  picture?: string | null;
}

export interface ContactListOutcome {
  sessionId: string;
  phone: string | null;
  type: 'contacts' | 'groups';
  total: number;
  limit: number;
  offset: number;
  contacts: ListedContact[];
}

/** Picture lookups of a deep listing in flight at once. */
const DEEP_BATCH = 10;

const digitsOf = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? null;
const phoneOf = (pn: string | null) => (pn ? digitsOf(pn) : null);

export class ContactList {
  constructor(private readonly deps: { db: Db; access: SessionAccess; metadataCache: GroupMetadataCache }) {}

  async list(command: SessionCommand, input: ContactListInput): Promise<ContactListOutcome> {
    const working = await this.deps.access.working(command);
    const sessionId = working.session.id;
    const me = working.engine.me;
    const own = [me?.id, me?.lid].filter((j): j is string => !!j);
    let total: number;
    let contacts: ListedContact[];
    if (input.type === 'contacts') {
      const page = await listContacts(this.deps.db, sessionId, { limit: input.limit, offset: input.offset, exclude: own });
      total = page.total;
      contacts = page.rows.map((row) => ({ jid: row.jid, phone: phoneOf(row.pn), lid: row.lid, name: row.verified_name ?? row.name ?? row.notify, notify: row.notify, verifiedName: row.verified_name }));
    } else {
      const metadata = this.deps.metadataCache.for(working.engine);
      const groups = input.groupIds.length ? await Promise.all(input.groupIds.map((id) => metadata.get(id))) : await metadata.list();
      const members = new Map<string, { pn: string | null; lid: string | null; groups: string[] }>();
      for (const group of groups) {
        for (const p of group.participants) {
          if (own.includes(p.jid) || (p.lid && own.includes(p.lid)) || (p.pn && own.includes(p.pn))) continue;
          const entry = members.get(p.jid) ?? { pn: p.pn, lid: p.lid, groups: [] };
          entry.groups.push(group.id);
          members.set(p.jid, entry);
        }
      }
      const sorted = [...members.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      total = sorted.length;
      contacts = [];
      for (const [jid, member] of sorted.slice(input.offset, input.offset + input.limit)) {
        const known = await findContact(this.deps.db, sessionId, jid);
        contacts.push({
          jid,
          phone: phoneOf(member.pn),
          lid: member.lid,
          name: known ? (known.verified_name ?? known.name ?? known.notify) : null,
          notify: known?.notify ?? null,
          verifiedName: known?.verified_name ?? null,
          groups: member.groups
        });
      }
    }
    if (input.deep) {
      // A few at a time, like WARest: one WhatsApp query per person on the page.
      for (let i = 0; i < contacts.length; i += DEEP_BATCH) {
        await Promise.all(
          contacts.slice(i, i + DEEP_BATCH).map(async (contact) => {
            contact.picture = await working.engine.contacts.pictureUrl(contact.jid).catch(() => null);
          })
        );
      }
    }
    return { sessionId, phone: working.phone, type: input.type, total, limit: input.limit, offset: input.offset, contacts };
  }
}

/** The group ids of `groupIds` (CSV or array), each normalised by `normalize`; a bad one is a 400. */
export function parseGroupIds(raw: unknown, normalize: (id: string) => string): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!list) throw new GatewayError('INVALID_PARAMETER', 'groupIds must be a comma-separated list of group ids');
  return [...new Set(list.map((id) => String(id).trim()).filter(Boolean).map(normalize))];
}
