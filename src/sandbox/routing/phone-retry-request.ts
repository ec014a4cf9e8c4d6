// A simulated phone that could not decrypt a message asks the sending device to encrypt it again, as WhatsApp
// clients do: a retry receipt with the attempt count, and from the second attempt on the phone's key bundle, so
// the sender starts a fresh session. After MAX_ATTEMPTS the message stays undecryptable (Baileys' default cap).
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { keyBundleNodes, registrationNode } from './key-bundle.js';
import { routeReceipt } from './receipts.js';

const MAX_ATTEMPTS = 5;
/** Attempts are remembered per message for the most recent ones only. */
const TRACKED_MESSAGES = 1_000;

const attemptsByPhone = new WeakMap<Account, Map<string, number>>();

function nextAttempt(account: Account, key: string): number {
  let attempts = attemptsByPhone.get(account);
  if (!attempts) attemptsByPhone.set(account, (attempts = new Map()));
  const attempt = (attempts.get(key) ?? 0) + 1;
  attempts.delete(key);
  attempts.set(key, attempt);
  if (attempts.size > TRACKED_MESSAGES) attempts.delete(attempts.keys().next().value!);
  return attempt;
}

/** `author` is the sending device as the stanza named it; `group` the group JID for group messages. */
export async function askSenderToResend(network: SandboxNetwork, account: Account, stanza: BinaryNode, author: string, group: string | undefined): Promise<void> {
  const { id = '', from = '', t = '', recipient } = stanza.attrs;
  const attempt = nextAttempt(account, `${id}\u0000${author}`);
  if (attempt > MAX_ATTEMPTS) return;
  const party = account.phoneParty;
  const content = [node('retry', { count: String(attempt), id, t, v: '1', error: '0' }), registrationNode(party.creds.registrationId)];
  if (attempt > 1) content.push(node('keys', {}, keyBundleNodes(await party.takeBundle())));
  const attrs = { id, type: 'retry', to: group ?? from, ...(group ? { participant: author } : {}), ...(recipient ? { recipient } : {}) };
  routeReceipt(network, { account, device: 0 }, node('receipt', attrs, content));
}

/**
 * The control API's `ask-again` fault: the phone asks the device that sent it `id` to send it again, as if it
 * had not decrypted it. False when the phone has no such message from another account.
 */
export async function askAgainFor(network: SandboxNetwork, account: Account, id: string): Promise<boolean> {
  const received = account.inbox.find(id, false);
  if (!received) return false;
  const group = isJidGroup(received.chat) ? received.chat : undefined;
  const attrs = { id, from: group ?? received.fromDevice, t: String(received.timestamp), ...(group ? { participant: received.fromDevice } : {}) };
  await askSenderToResend(network, account, node('message', attrs), received.fromDevice, group);
  return true;
}
