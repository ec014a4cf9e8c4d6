// App-state sync (`w:sync:app:state`): stores the patches clients push (archive, pin, mute, read, star,
// delete…) per account and collection, and serves them to devices syncing from an older version; the
// account's other devices get a `server_sync` notification to resync, and its phone reads them.
import { proto, type BinaryNode } from 'baileys';
import type { StanzaRouter } from '../router.js';
import { child, childrenNamed, contentBytes, node, stanzaId } from '../stanza.js';
import { readPatchOnPhone } from '../routing/phone-app-state.js';

/**
 * The server numbers patches: a client stamps none on its push, and a syncing client without a per-patch
 * version would give every patch of a batch the collection's version, failing the patch MAC checks.
 */
function stamped(patch: Buffer, version: number): Buffer {
  const decoded = proto.SyncdPatch.decode(patch);
  decoded.version = { version };
  return Buffer.from(proto.SyncdPatch.encode(decoded).finish());
}

export function appStateFeature(router: StanzaRouter): void {
  router.iq('w:sync:app:state:sync', async ({ account, network, companion }, iq) => {
    const answers: BinaryNode[] = [];
    const pushedTo: string[] = [];
    const forPhone: { name: string; patch: Buffer }[] = [];
    for (const collection of childrenNamed(child(iq, 'sync'), 'collection')) {
      const name = collection.attrs.name ?? '';
      const patches = account.appState.get(name) ?? [];
      account.appState.set(name, patches);
      const pushed = childrenNamed(collection, 'patch').map(contentBytes).filter((p): p is Buffer => !!p);
      if (pushed.length) {
        for (const patch of pushed) {
          const numbered = stamped(patch, patches.length + 1);
          patches.push(numbered);
          forPhone.push({ name, patch: numbered });
        }
        pushedTo.push(name);
        answers.push(node('collection', { name, version: String(patches.length) }));
        continue;
      }
      const missing = patches.slice(Number(collection.attrs.version ?? 0));
      answers.push(
        node('collection', { name, version: String(patches.length) }, missing.length ? [node('patches', {}, missing.map((p) => node('patch', {}, p)))] : undefined)
      );
    }
    for (const name of pushedTo) {
      network.deliverToCompanions(
        account,
        () => node('notification', { from: account.pnJid, type: 'server_sync', id: stanzaId() }, [node('collection', { name })]),
        companion
      );
    }
    // Versions and answers are settled above, before any await lets another push in.
    for (const { name, patch } of forPhone) await readPatchOnPhone(network, account, name, patch);
    return [node('sync', {}, answers)];
  });
}
