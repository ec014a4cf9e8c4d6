// Client `<message>` and `<receipt>` stanzas: messages are fanned out to every recipient device (and acked to
// the sender, with an error code when WhatsApp would refuse them); receipts travel back to the sender.
import type { StanzaRouter } from '../router.js';
import { node, unixNow } from '../stanza.js';
import { routeReceipt } from '../routing/receipts.js';
import { RelayRefusal, relayMessage } from '../routing/relay.js';

export function messagesFeature(router: StanzaRouter): void {
  router
    .stanza('message', ({ network, conn, companion, account }, stanza) => {
      let error: string | undefined;
      try {
        relayMessage(network, { account, device: companion.id }, stanza);
      } catch (refusal) {
        if (!(refusal instanceof RelayRefusal)) throw refusal;
        network.logger.info({ id: stanza.attrs.id, to: stanza.attrs.to, reason: refusal.message }, 'message refused');
        error = String(refusal.code);
      }
      conn.send(node('ack', { class: 'message', id: stanza.attrs.id ?? '', from: stanza.attrs.to ?? '', t: unixNow(), ...(error ? { error } : {}) }));
    })
    .stanza('receipt', ({ network, companion, account }, stanza) => routeReceipt(network, { account, device: companion.id }, stanza));
}
