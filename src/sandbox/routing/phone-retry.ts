// A simulated phone answering a retry receipt: the asking device could not decrypt one of the phone's
// messages, so the phone drops its session with that device, starts a fresh one (from the keys in the
// receipt, else from the device's published bundle) and sends the message again to that device alone.
import { extractE2ESessionFromRetryReceipt, type BinaryNode, type proto } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { child, node } from '../stanza.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { deviceJid, formOf } from './addressing.js';
import { encryptFor, sessionJid } from './encrypt.js';
import { groupSenderJid, stanzaType } from './phone-send.js';
import { relayFromPhone } from './relay.js';

export function resendFromPhone(network: SandboxNetwork, account: Account, asker: DeviceAddress, receipt: BinaryNode, group: string | undefined): void {
  account
    .onPhone(async () => {
      const original = account.inbox.find(receipt.attrs.id ?? '', true);
      if (!original) {
        network.logger.info({ phone: account.phone, id: receipt.attrs.id }, 'retry receipt for a message the phone does not have');
        return;
      }
      await restartSession(account, asker, receipt);
      const count = child(receipt, 'retry')?.attrs.count ?? '1';
      const { type, ciphertext } = await encryptFor(account.phoneParty, asker, await resentContent(account, original, asker, group));
      const enc = node('enc', { v: '2', type, count }, Buffer.from(ciphertext));
      relayFromPhone(network, account, resendStanza(original, asker, asker.account === account, group, enc));
    })
    .catch((error: unknown) => network.logger.warn({ phone: account.phone, err: error instanceof Error ? error.message : String(error) }, 'phone resend failed'));
}

async function restartSession(account: Account, asker: DeviceAddress, receipt: BinaryNode): Promise<void> {
  const jid = sessionJid(asker);
  const { repository } = account.phoneParty;
  await repository.deleteSession([jid]);
  const bundle = extractE2ESessionFromRetryReceipt(receipt);
  if (bundle) await repository.injectE2ESession({ jid, session: bundle });
}

/** Group members get the sender key along with the message; own devices get it in the device-sent wrapper. */
async function resentContent(account: Account, original: PhoneMessage, asker: DeviceAddress, group: string | undefined): Promise<proto.IMessage> {
  let message = original.message;
  if (group) {
    const skdm = await account.phoneParty.repository.getSenderKeyDistributionMessage({ group, meId: groupSenderJid(account, formOf(original.from)) });
    message = { ...message, senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: skdm } };
  }
  return asker.account === account ? { deviceSentMessage: { destinationJid: original.chat, message } } : message;
}

function resendStanza(original: PhoneMessage, asker: DeviceAddress, own: boolean, group: string | undefined, enc: BinaryNode): BinaryNode {
  const type = stanzaType(original.message);
  if (group) {
    const form = formOf(original.from);
    return node('message', { to: group, participant: deviceJid(asker, form), addressing_mode: form, id: original.id, type }, [enc]);
  }
  const attrs = { to: deviceJid(asker, formOf(original.chat)), id: original.id, type, device_fanout: 'false' };
  return node('message', own ? { ...attrs, recipient: original.chat } : attrs, [enc]);
}
