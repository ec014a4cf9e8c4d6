// App-state sync (`w:sync:app:state`): stores the patches clients push (archive, pin, mute, read, star,
// delete…) per account and collection, and serves them to devices syncing from an older version.
import type { BinaryNode } from 'baileys';
import type { StanzaRouter } from '../router.js';
import { child, childrenNamed, contentBytes, node } from '../stanza.js';

export function appStateFeature(router: StanzaRouter): void {
  router.iq('w:sync:app:state:sync', ({ account, network, companion }, iq) => {
    const answers: BinaryNode[] = [];
    const pushedTo: string[] = [];
    for (const collection of childrenNamed(child(iq, 'sync'), 'collection')) {
      const name = collection.attrs.name ?? '';
      const patches = account.appState.get(name) ?? [];
      const pushed = childrenNamed(collection, 'patch').map(contentBytes).filter((p): p is Buffer => !!p);
      if (pushed.length) {
        patches.push(...pushed);
        account.appState.set(name, patches);
        pushedTo.push(name);
        answers.push(node('collection', { name, version: String(patches.length) }));
        continue;
      }
      const from = Number(collection.attrs.version ?? 0);
      const missing = patches.slice(from);
      answers.push(
        node('collection', { name, version: String(patches.length) }, missing.length ? [node('patches', {}, missing.map((p) => node('patch', {}, p)))] : undefined)
      );
    }
    // Other devices of the account learn that a collection changed and resync it.
    for (const name of pushedTo) {
      network.deliverToCompanions(
        account,
        () => node('notification', { from: account.pnJid, type: 'server_sync', id: iq.attrs.id ?? '' }, [node('collection', { name })]),
        companion
      );
    }
    return [node('sync', {}, answers)];
  });
}
