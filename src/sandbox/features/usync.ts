// `xmlns="usync"`: WhatsApp's user directory query. Answers every protocol a client asks for, per user:
// device lists (phone + linked companions), LIDs, "is this number on WhatsApp", about text, disappearing mode.
import type { BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { StanzaRouter } from '../router.js';
import { child, children, childrenNamed, contentText, node } from '../stanza.js';
import { PN_SERVER, type Account } from '../world/accounts.js';

type ProtocolAnswer = (account: Account | undefined, queriedJid: string, requester: Account) => BinaryNode | undefined;

const PROTOCOLS: Record<string, ProtocolAnswer> = {
  devices: (account) =>
    node('devices', {}, [
      node(
        'device-list',
        {},
        (account?.deviceIds() ?? []).map((id) => node('device', id === 0 ? { id: '0' } : { id: String(id), 'key-index': String(id) }))
      )
    ]),
  lid: (account, jid) => node('lid', account && !jid.endsWith('@lid') ? { val: account.lidJid } : {}),
  contact: (account) => node('contact', { type: account ? 'in' : 'out' }),
  status: (account, _jid, requester) => {
    if (!account) return node('status', { code: '404' });
    if (account !== requester && account.privacy.get('status') === 'none') return node('status', { code: '401' });
    return node('status', { t: String(account.aboutSetAt) }, account.about);
  },
  disappearing_mode: (account) => (account ? node('disappearing_mode', { duration: '0', t: '0' }) : undefined)
};

function answerUser(network: SandboxNetwork, requester: Account, user: BinaryNode, protocols: string[]): BinaryNode {
  // Phone-number lookups ("is +1555… on WhatsApp?") carry the number instead of a JID.
  const phone = contentText(child(user, 'contact'))?.replace(/\D/g, '');
  const jid = user.attrs.jid ?? `${phone ?? ''}@${PN_SERVER}`;
  const account = network.accounts.resolve(jid)?.account;
  const answers = protocols.map((name) => PROTOCOLS[name]?.(account, jid, requester)).filter((answer): answer is BinaryNode => !!answer);
  return node('user', { jid }, answers);
}

export function usyncFeature(router: StanzaRouter): void {
  router.iq('usync:usync', ({ network, account }, iq) => {
    const usync = child(iq, 'usync');
    const protocols = children(child(usync, 'query')).map((protocol) => protocol.tag);
    const users = childrenNamed(child(usync, 'list'), 'user').map((user) => answerUser(network, account, user, protocols));
    const { sid = '', mode = 'query', context = 'interactive' } = usync?.attrs ?? {};
    return [node('usync', { sid, mode, context, index: '0', last: 'true' }, [node('list', {}, users)])];
  });
}
