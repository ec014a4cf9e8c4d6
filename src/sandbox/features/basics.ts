// Housekeeping stanzas every client sends: passive/active, keepalive pings, A/B props, dirty bits, media
// hosts, privacy tokens, logout, acks and `<ib>` notices.
import type { StanzaRouter } from '../router.js';
import { child, node } from '../stanza.js';

export function basicsFeature(router: StanzaRouter): void {
  router
    .iq('passive', () => undefined)
    .iq('w:p', () => undefined)
    .iq('abt', () => [node('props', { protocol: '1', hash: 'sandbox' }, [])])
    .iq('urn:xmpp:whatsapp:dirty', () => undefined)
    .iq('privacy:tokens', () => undefined)
    .iq('w:m:media_conn', ({ network }) => {
      const host = network.mediaHost ?? '127.0.0.1:1';
      return [
        node('media_conn', { auth: 'sandbox-media-auth', ttl: '3600', auth_ttl: '3600', max_buckets: '12' }, [
          node('host', { hostname: host, maxContentLengthBytes: String(100 * 1024 * 1024) })
        ])
      ];
    })
    .iq('md:remove-companion-device', ({ network, companion, conn }, iq) => {
      const target = child(iq, 'remove-companion-device')?.attrs.jid;
      const address = target ? network.accounts.resolve(target) : undefined;
      const removed = address?.account === companion.account ? address.account.activeCompanion(address.device) : companion;
      if (removed) network.linking.unlink(removed);
      if (removed === companion) setImmediate(() => conn.close());
    })
    .stanza('ack', () => undefined)
    .stanza('ib', () => undefined);
}
