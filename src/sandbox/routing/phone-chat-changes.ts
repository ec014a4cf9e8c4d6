// The simulated phone changing a chat itself (archive, pin, mute, read/unread, clear): it encrypts an app-state
// patch with the sync key it shares with its companions, the server stores it like any pushed patch, and every
// linked companion is told to resync the collection (`server_sync`), as when the user does it on a real phone.
import { chatModificationToAppPatch, encodeSyncdPatch, newLTHashState, proto, type LTHashState } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, stanzaId } from '../stanza.js';
import type { Account } from '../world/accounts.js';

export type PhoneChatChange =
  | { action: 'archive' | 'unarchive' | 'pin' | 'unpin' | 'unmute' | 'markRead' | 'markUnread' | 'clear'; chat: string }
  | { action: 'mute'; chat: string; until: number };

/** The phone's own view of each collection's hash, per account (the sandbox's accounts are in memory too). */
const phoneStates = new WeakMap<Account, Map<string, LTHashState>>();

function modification(change: PhoneChatChange) {
  const now = Math.floor(Date.now() / 1000);
  const range = { lastMessageTimestamp: now };
  switch (change.action) {
    case 'archive':
    case 'unarchive':
      return { archive: change.action === 'archive', lastMessages: range };
    case 'pin':
    case 'unpin':
      return { pin: change.action === 'pin' };
    case 'mute':
      return { mute: change.until };
    case 'unmute':
      return { mute: null };
    case 'markRead':
    case 'markUnread':
      return { markRead: change.action === 'markRead', lastMessages: range };
    case 'clear':
      return { clear: true, lastMessages: range };
  }
}

/** Makes the change on the phone and pushes it to the account's companions; returns the collection and its version. */
export async function changeChatOnPhone(network: SandboxNetwork, account: Account, change: PhoneChatChange): Promise<{ collection: string; version: number }> {
  const create = chatModificationToAppPatch(modification(change) as Parameters<typeof chatModificationToAppPatch>[0], change.chat);
  const states = phoneStates.get(account) ?? new Map<string, LTHashState>();
  phoneStates.set(account, states);
  const collection = create.type;
  const keyId = account.appStateKey.id.toString('base64');
  const { patch, state } = await encodeSyncdPatch(create, keyId, states.get(collection) ?? newLTHashState(), async (id) =>
    id === keyId ? ({ keyData: account.appStateKey.data } as never) : undefined
  );
  const patches = account.appState.get(collection) ?? [];
  account.appState.set(collection, patches);
  const version = patches.length + 1;
  patch.version = { version };
  patches.push(Buffer.from(proto.SyncdPatch.encode(patch).finish()));
  states.set(collection, { ...state, version });
  account.recordMutation({
    collection,
    version,
    operation: 'set',
    index: create.index,
    value: proto.SyncActionValue.create(create.syncAction).toJSON()
  });
  network.deliverToCompanions(account, () => node('notification', { from: account.pnJid, type: 'server_sync', id: stanzaId() }, [node('collection', { name: collection })]));
  return { collection, version };
}
