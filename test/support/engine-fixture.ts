// The `useEngineSandbox` fixture for engine tests: an in-process sandbox with some accounts and one engine
// session linked to it, set up in a node:test `before` hook and stopped in `after`.
import type { EngineSession } from '../../src/engine/port.js';
import { EngineSandbox, type SessionProbe } from '../../src/engine/testing/engine-sandbox.js';
import { fixtureHooks } from './fixture-hooks.js';

export interface EngineSetup {
  /** accounts (simulated phones) to create first */
  accounts: string[];
  /** the phone whose account an engine session is started for and linked by QR */
  linked: string;
}

/** A person as engine events and results name one. */
export interface Person {
  jid: string;
  lid: string;
  pn: string;
}

export interface EngineFixture {
  readonly net: EngineSandbox;
  /** the linked session */
  readonly session: EngineSession;
  readonly probe: SessionProbe;
  /** PN and LID JIDs by phone: as the sandbox created each account, and the linked session's own `me` */
  readonly ids: Record<string, { jid: string; lid: string }>;
  readonly pn: (phone: string) => string;
  readonly lid: (phone: string) => string;
  readonly person: (phone: string) => Person;
  /** this fixture, once its `before` hook has set everything up */
  readonly ready: Promise<EngineFixture>;
}

/**
 * Registers node:test `before`/`after` hooks (call it at a test file's top level): `before` starts the sandbox,
 * creates `accounts` and links a session for `linked`; `after` stops the session, then the sandbox. A file binds
 * what its tests use by awaiting `ready` in a `before` of its own (see useSandbox in sandbox-fixture.ts).
 */
export function useEngineSandbox(setup: EngineSetup): EngineFixture {
  const ids: Record<string, { jid: string; lid: string }> = {};
  let net: EngineSandbox | undefined;
  let linked: { session: EngineSession; probe: SessionProbe } | undefined;
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the engine sandbox is not set up yet: await fixture.ready in a before() hook');
    return value;
  };
  const id = (phone: string) => {
    const found = ids[phone];
    if (!found) throw new Error(`no account ${phone}`);
    return found;
  };
  const fixture: EngineFixture = {
    get net() {
      return required(net);
    },
    get session() {
      return required(linked).session;
    },
    get probe() {
      return required(linked).probe;
    },
    ids,
    pn: (phone) => id(phone).jid,
    lid: (phone) => id(phone).lid,
    person: (phone) => ({ jid: id(phone).jid, lid: id(phone).lid, pn: id(phone).jid }),
    get ready() {
      return ready;
    }
  };
  const ready = fixtureHooks(
    async () => {
      const sandbox = (net = await EngineSandbox.start());
      for (const phone of setup.accounts) ids[phone] = await sandbox.account(phone);
      linked = await sandbox.linked(setup.linked);
      ids[setup.linked] = { jid: linked.session.me!.id, lid: linked.session.me!.lid! };
      return fixture;
    },
    async () => {
      await linked?.session.stop();
      await net?.stop();
    }
  );
  return fixture;
}
