// Client `<presence>` (availability with the push name, subscriptions) and `<chatstate>` stanzas.
import type { StanzaRouter } from '../router.js';
import { children } from '../stanza.js';
import { sendChatState, setPresence, subscribePresence } from '../routing/presence.js';

export function presenceFeature(router: StanzaRouter): void {
  router
    .stanza('presence', ({ network, companion, account }, stanza) => {
      const { type, to, name } = stanza.attrs;
      if (type === 'subscribe') {
        if (to) subscribePresence(network, companion, to);
        return;
      }
      // Clients announce the account's push name with their presence.
      if (name) account.name = name;
      if (type === 'available' || type === 'unavailable') setPresence(network, account, type);
    })
    .stanza('chatstate', ({ network, companion, account }, stanza) => {
      const [state] = children(stanza);
      if (state && stanza.attrs.to) sendChatState(network, { account, device: companion.id }, stanza.attrs.to, state);
    });
}
