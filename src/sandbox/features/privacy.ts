// Privacy settings (get/set) and the blocklist (get/block/unblock), per account.
import { IqFailure, type StanzaRouter } from '../router.js';
import { child, childrenNamed, node } from '../stanza.js';

export function privacyFeature(router: StanzaRouter): void {
  router
    .iq('privacy:privacy', ({ account }, iq) => {
      if (iq.attrs.type === 'set') {
        for (const category of childrenNamed(child(iq, 'privacy'), 'category')) {
          const { name, value } = category.attrs;
          if (!name || !value) throw new IqFailure(400, 'bad-request');
          account.privacy.set(name, value);
        }
        return undefined;
      }
      return [node('privacy', {}, [...account.privacy].map(([name, value]) => node('category', { name, value })))];
    })
    .iq('blocklist', ({ account }) => [node('list', {}, [...account.blocklist].map((jid) => node('item', { jid })))])
    .iq('blocklist:item', ({ account, network }, iq) => {
      const item = child(iq, 'item');
      const target = item?.attrs.jid ? network.accounts.resolve(item.attrs.jid)?.account : undefined;
      if (!item || !target) throw new IqFailure(404, 'item-not-found');
      if (item.attrs.action === 'block') account.blocklist.add(target.pnJid);
      else account.blocklist.delete(target.pnJid);
      const update = node('notification', { from: account.pnJid, type: 'account_sync', id: iq.attrs.id ?? '' }, [
        node('blocklist', {}, [node('item', { jid: target.pnJid, action: item.attrs.action ?? 'unblock' })])
      ]);
      network.deliverToCompanions(account, () => update);
    });
}
