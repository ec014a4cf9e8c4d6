// The simulated phone reading the app-state patches its companions push. It holds the sync key it shared
// with them, so it decrypts every mutation (its index and SyncActionValue), keeps it for inspection, and
// applies what concerns single messages (star, delete for me) to its own copy of them.
import { decodeSyncdMutations, newLTHashState, proto } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { Account, AppStateMutation } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';

/** Message-level actions by index name; their index is [action, chat, messageId, fromMe ("1"/"0"), participant]. */
const MESSAGE_ACTIONS: Record<string, (message: PhoneMessage, mutation: AppStateMutation, value: proto.ISyncActionValue) => void> = {
  star: (message, _mutation, value) => {
    message.starred = !!value.starAction?.starred;
  },
  deleteMessageForMe: (message, mutation) => {
    message.deletedForMe = mutation.operation === 'set';
  }
};

function apply(account: Account, mutation: AppStateMutation, value: proto.ISyncActionValue): void {
  const [action = '', , messageId = '', fromMe] = mutation.index;
  const act = MESSAGE_ACTIONS[action];
  if (!act) return;
  for (const message of account.inbox.withId(messageId)) if (message.fromMe === (fromMe === '1')) act(message, mutation, value);
}

/** Decrypts one stamped patch with the account's sync key; a patch it cannot read is logged, never refused. */
export async function readPatchOnPhone(network: SandboxNetwork, account: Account, collection: string, patch: Buffer): Promise<void> {
  const decoded = proto.SyncdPatch.decode(patch);
  const version = Number(decoded.version?.version ?? 0);
  const ownKeyId = account.appStateKey.id.toString('base64');
  const syncKey = async (keyId: string) => (keyId === ownKeyId ? { keyData: account.appStateKey.data } : undefined);
  try {
    // One mutation at a time: the callback does not say whether a mutation sets or removes its index.
    for (const mutation of decoded.mutations) {
      const operation = mutation.operation === proto.SyncdMutation.SyncdOperation.REMOVE ? 'remove' : 'set';
      let read = false;
      await decodeSyncdMutations([mutation], newLTHashState(), syncKey, ({ syncAction, index }) => {
        const value = syncAction.value ?? {};
        const entry: AppStateMutation = { collection, version, operation, index, value: proto.SyncActionValue.create(value).toJSON() };
        account.recordMutation(entry);
        apply(account, entry, value);
        read = true;
      }, true);
      // Baileys skips a record whose MAC or padding is wrong without a word: say so, it means the client used the wrong key bytes.
      if (!read) network.logger.warn({ phone: account.phone, collection, version }, 'an app-state mutation does not decrypt with the sync key the phone shared');
    }
  } catch (error) {
    network.logger.warn({ phone: account.phone, collection, err: error instanceof Error ? error.message : String(error) }, 'simulated phone could not read an app-state patch');
  }
}
