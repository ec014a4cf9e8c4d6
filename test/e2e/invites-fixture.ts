// Shared set-up of the invite e2e tests: a gateway session linked to a sandbox account, groups created by a
// human admin's phone with our number promoted to admin, strangers that join through links, and API helpers.
import { ApiClient, TestDatabase, TestGateway, TestSandbox, eventually, linkSession, type Answer, type Dialect } from '../support/gateway-harness.js';

export const SESSION = 'inv';
export const OUR_PHONE = '15557770001';
export const HUMAN_ADMIN = '15557770002';

export interface InviteWorld {
  sb: TestSandbox;
  db: TestDatabase;
  gw: TestGateway;
  /** a user API key that owns the session (the admin key acts on it too) */
  user: ApiClient;
  /** the session's Wawp access token */
  accessToken: string;
  close(): Promise<void>;
}

export async function startInviteWorld(dialect: Dialect, env: Record<string, string> = {}): Promise<InviteWorld> {
  const sb = await TestSandbox.start();
  const db = await TestDatabase.create(dialect);
  const gw = await TestGateway.start(db, sb, env);
  const key = await gw.request('POST', '/api/v1/keys', { body: { name: 'community-team' } });
  const user = new ApiClient(gw.url, key.body.results[0].key);
  const { accessToken } = await linkSession(user, sb, SESSION, OUR_PHONE, 'Gateway Number');
  await sb.ok('POST', '/sandbox/v1/accounts', { phone: HUMAN_ADMIN, name: 'Human Admin' });
  return {
    sb, db, gw, user, accessToken,
    async close() {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    },
  };
}

/** A group made on the human admin's phone, with our number in it and promoted to admin. */
export async function adminGroup(world: InviteWorld, subject: string): Promise<string> {
  const { id } = await world.sb.ok('POST', `/sandbox/v1/accounts/${HUMAN_ADMIN}/groups`, { subject, participants: [OUR_PHONE] });
  await humanActs(world, id, 'promote', { participants: [OUR_PHONE] });
  return id as string;
}

export function humanActs(world: InviteWorld, groupId: string, action: string, input: Record<string, unknown> = {}): Promise<any> {
  return world.sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(groupId)}/actions`, { as: HUMAN_ADMIN, action, ...input });
}

export function sandboxGroup(world: InviteWorld, groupId: string): Promise<{ inviteCode: string; revokedCodes: string[]; settings: { joinApproval: boolean } }> {
  return world.sb.ok('GET', `/sandbox/v1/groups/${encodeURIComponent(groupId)}`);
}

/** A sandbox account that is no one's contact. */
export async function stranger(world: InviteWorld, phone: string): Promise<string> {
  await world.sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `Stranger ${phone.slice(-3)}` });
  return phone;
}

/** A stranger's phone joins with an invite code: `{status: 'joined'|'pending'}`, or the sandbox's 4xx. */
export function joinWith(world: InviteWorld, groupId: string, phone: string, code: string): Promise<Answer> {
  return world.sb.control('POST', `/sandbox/v1/groups/${encodeURIComponent(groupId)}/join`, { phone, code });
}

export async function history(world: InviteWorld, groupId: string): Promise<any> {
  const answer = await world.user.request('GET', `/api/v1/group/invite/history?sessionId=${SESSION}&groupId=${encodeURIComponent(groupId)}`);
  if (answer.status !== 200) throw new Error(`history: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.results[0];
}

/** Waits until the group's history satisfies `done`. */
export function historyWhere(world: InviteWorld, groupId: string, done: (h: any) => boolean, what: string): Promise<any> {
  return eventually(async () => {
    const h = await history(world, groupId);
    return done(h) ? h : undefined;
  }, { what });
}

export function revoke(client: ApiClient, groupId: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  return client.request('POST', '/api/v1/group/invite/revoke', { body: { sessionId: SESSION, groupId, ...extra } });
}

export function setPolicy(client: ApiClient, groupId: string, policy: Record<string, unknown>): Promise<Answer> {
  return client.request('POST', '/api/v1/group/invite/policy', { body: { sessionId: SESSION, groupId, ...policy } });
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
