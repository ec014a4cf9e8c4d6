// Hands a stanza to one device of the network: a linked companion gets it on its socket (or on its next
// login), a simulated phone processes it itself.
import type { BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { Account, DeviceAddress } from '../world/accounts.js';
import { receiveOnPhone } from './phone-receive.js';

/** Every current device of an account, the phone (device 0) first. */
export const devicesOf = (account: Account): DeviceAddress[] => account.deviceIds().map((device) => ({ account, device }));

export function deliverToDevice(network: SandboxNetwork, target: DeviceAddress, stanza: BinaryNode): void {
  if (target.device === 0) {
    receiveOnPhone(network, target.account, stanza);
    return;
  }
  const companion = target.account.activeCompanion(target.device);
  if (companion) network.deliver(companion, stanza);
  else network.logger.warn({ device: target.account.pnDevice(target.device), tag: stanza.tag }, 'stanza for an unlinked device dropped');
}
