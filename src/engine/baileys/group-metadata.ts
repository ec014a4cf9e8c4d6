// Baileys GroupMetadata → the port's GroupMetadata: participants with both PN and LID, the owner as a PN
// when known, settings as plain values.
import type { GroupMetadata as BaileysGroupMetadata } from 'baileys';
import type { GroupMetadata } from '../types.js';
import type { JidResolver } from './jid-resolver.js';

export async function normaliseGroup(meta: BaileysGroupMetadata, resolver: JidResolver): Promise<GroupMetadata> {
  const [owner, ...participants] = await resolver.refs([
    [meta.owner, meta.ownerPn],
    ...meta.participants.map((p) => [p.id, p.phoneNumber ?? p.lid] as const)
  ]);
  return {
    id: meta.id,
    subject: meta.subject ?? '',
    description: meta.desc ?? null,
    owner: owner?.jid ?? null,
    creation: Number.isFinite(meta.creation) ? meta.creation! : null,
    announce: !!meta.announce,
    restrict: !!meta.restrict,
    joinApprovalMode: !!meta.joinApprovalMode,
    memberAddMode: meta.memberAddMode ? 'all_member_add' : 'admin_add',
    ephemeral: meta.ephemeralDuration ?? 0,
    addressingMode: meta.addressingMode === 'lid' ? 'lid' : 'pn',
    size: meta.size ?? meta.participants.length,
    participants: meta.participants.map((p, i) => ({ ...participants[i]!, admin: p.admin ?? null }))
  };
}
