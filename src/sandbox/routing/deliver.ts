// Hands a message to one device of the network: a linked companion gets it on its socket (or on its next
// login), a simulated phone decrypts and processes it itself (recorded under the phone's JID for debugging).
import type { BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import { receiveOnPhone } from './phone-receive.js';

/** Every current device of an account, the phone (device 0) first. */
export const devicesOf = (account: Account): DeviceAddress[] => account.deviceIds().map((device) => ({ account, device }));

export function deliverMessage(network: SandboxNetwork, target: DeviceAddress, message: BinaryNode): void {
  if (target.device === 0) {
    network.recorder.record(target.account.pnJid, 'out', message);
    receiveOnPhone(network, target.account, message);
    return;
  }
  const companion = target.account.activeCompanion(target.device);
  if (companion) network.deliver(companion, message);
  else network.logger.warn({ device: target.account.pnDevice(target.device), id: message.attrs.id }, 'message for an unlinked device dropped');
}
