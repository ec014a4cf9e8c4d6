// `xmlns="encrypt"`: prekey count, upload, digest, signed-prekey rotation and key-bundle fetches.
import type { BinaryNode } from 'baileys';
import { IqFailure, type StanzaRouter } from '../router.js';
import { keyBundleNodes, registrationNode } from '../routing/key-bundle.js';
import { child, childrenNamed, contentBytes, node, uint } from '../stanza.js';
import { isPreKeyValue, type PreKey } from '../world/pre-key-shelf.js';
import type { KeyBundle } from '../world/signal-party.js';
import { startPhoneBootstrap } from './phone-bootstrap.js';

function bundleNode(jid: string, bundle: KeyBundle): BinaryNode {
  return node('user', { jid }, [registrationNode(bundle.registrationId), ...keyBundleNodes(bundle)]);
}

export function keysFeature(router: StanzaRouter): void {
  router
    .iq('encrypt:count', ({ companion }) => [node('count', { value: String(companion.keys.preKeys.size) })])
    .iq('encrypt:registration', ({ companion, network, conn }, iq) => {
      const uploaded: PreKey[] = [];
      for (const key of childrenNamed(child(iq, 'list'), 'key')) {
        const publicKey = contentBytes(child(key, 'value'));
        if (!publicKey || !isPreKeyValue(publicKey)) throw new IqFailure(400, 'bad-request');
        uploaded.push({ keyId: uint(contentBytes(child(key, 'id'))), publicKey });
      }
      companion.keys.preKeys.add(uploaded);
      const skey = child(iq, 'skey');
      if (skey) {
        companion.keys.signedPreKey = {
          keyId: uint(contentBytes(child(skey, 'id'))),
          publicKey: contentBytes(child(skey, 'value')) ?? companion.keys.signedPreKey.publicKey,
          signature: contentBytes(child(skey, 'signature')) ?? companion.keys.signedPreKey.signature
        };
      }
      if (companion.awaitingBootstrap) {
        companion.awaitingBootstrap = false;
        startPhoneBootstrap(network, companion);
      }
      void conn;
    })
    .iq('encrypt:digest', () => [node('digest', {})])
    .iq('encrypt:rotate', ({ companion }, iq) => {
      const skey = child(child(iq, 'rotate'), 'skey');
      if (!skey) throw new IqFailure(400, 'bad-request');
      companion.keys.signedPreKey = {
        keyId: uint(contentBytes(child(skey, 'id'))),
        publicKey: contentBytes(child(skey, 'value'))!,
        signature: contentBytes(child(skey, 'signature'))!
      };
    })
    .iq('encrypt:key', async ({ network }, iq) => {
      const users: BinaryNode[] = [];
      for (const user of childrenNamed(child(iq, 'key'), 'user')) {
        const jid = user.attrs.jid ?? '';
        const address = network.accounts.resolve(jid);
        const bundle = address && (await address.account.bundleFor(address.device));
        users.push(bundle ? bundleNode(jid, bundle) : node('user', { jid }, [node('error', { code: '404', text: 'item-not-found' })]));
      }
      return [node('list', {}, users)];
    });
}
