// What a real phone sends a freshly linked companion right after its first prekey upload: the app-state
// sync key (needed for chat modifications) and an inline initial history sync, which carries LID mappings
// and lets Baileys flush its buffered events at once instead of waiting 20 s.
import { deflateSync } from 'node:zlib';
import { proto } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, stanzaId, unixNow } from '../stanza.js';
import type { Account, Companion } from '../world/accounts.js';
import { encryptFor } from '../routing/encrypt.js';
import { phoneHistory } from '../world/phone-history.js';

export async function sendFromPhone(network: SandboxNetwork, companion: Companion, message: proto.IMessage): Promise<void> {
  const { account } = companion;
  const { type, ciphertext } = await encryptFor(account.phoneParty, { account, device: companion.id }, message);
  network.deliver(
    companion,
    node('message', { from: account.pnJid, type: 'text', category: 'peer', notify: account.name, id: stanzaId(), t: unixNow() }, [
      node('enc', { v: '2', type }, Buffer.from(ciphertext))
    ])
  );
}

/**
 * With `historyMappings: 'known'` (the default, as real phones), the people whose PN↔LID mappings a phone's
 * history sync carries: itself, the members of its groups and the people it has chatted with. 'all' treats every
 * sandbox account as being in everyone's address book, for tests about something else.
 */
function knownAccounts(network: SandboxNetwork, account: Account): Account[] {
  const known = new Set<Account>([account]);
  for (const group of network.groups.of(account)) for (const member of group.members.values()) known.add(member.account);
  for (const message of account.inbox) {
    for (const jid of [message.from, message.chat]) {
      const other = network.accounts.resolve(jid)?.account;
      if (other) known.add(other);
    }
  }
  return [...known];
}

export function startPhoneBootstrap(network: SandboxNetwork, companion: Companion): void {
  const { account } = companion;
  const keyShare: proto.IMessage = {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
      appStateSyncKeyShare: {
        keys: [
          {
            keyId: { keyId: account.appStateKey.id },
            keyData: { keyData: account.appStateKey.data, fingerprint: { rawId: 1, currentIndex: 0, deviceIndexes: [0] }, timestamp: Date.now() }
          }
        ]
      }
    }
  };
  const history = proto.HistorySync.encode({
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
    conversations: phoneHistory(account),
    phoneNumberToLidMappings: (network.historyMappings === 'all' ? network.accounts.all() : knownAccounts(network, account)).map((a) => ({
      pnJid: a.pnJid,
      lidJid: a.lidJid
    }))
  }).finish();
  const historyNotice: proto.IMessage = {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
      historySyncNotification: {
        syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
        initialHistBootstrapInlinePayload: deflateSync(history),
        chunkOrder: 0,
        progress: 100
      }
    }
  };
  // After the upload answer has been written, so the client has its keys in place.
  setImmediate(async () => {
    try {
      await sendFromPhone(network, companion, keyShare);
      await sendFromPhone(network, companion, historyNotice);
    } catch (error) {
      network.logger.error({ err: error, device: account.pnDevice(companion.id) }, 'phone bootstrap failed');
    }
  });
}
