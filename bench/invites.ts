// Invite benchmark: the round trip of a revoke through the API (HTTP, admin check, WhatsApp's revoke on the
// sandbox, lineage and outbox write), median and p95 over N revokes with the chatter guard off, each as a
// ratio to server/ping measured the same way in the same run. Gateway and sandbox run in this process.
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession, type Dialect } from '../test/support/gateway-harness.js';
import { median, report, timed } from './support/measure.js';

const REVOKES = Number(process.env.BENCH_REVOKES ?? 200);
const DIALECT = (process.env.BENCH_DIALECT ?? 'sqlite') as Dialect;
const OURS = '19500000001';
const HUMAN = '19500000002';

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

async function sample(count: number, call: () => Promise<{ status: number; body: unknown }>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const [answer, ms] = await timed(call);
    if (answer.status !== 200) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    times.push(ms);
  }
  return times;
}

export async function run(): Promise<void> {
  if (!DIALECTS.includes(DIALECT)) throw new Error(`BENCH_DIALECT must be one of ${DIALECTS.join(', ')}`);
  const sb = await TestSandbox.start();
  const db = await TestDatabase.create(DIALECT);
  const gw = await TestGateway.start(db, sb, { WAYGATE_INVITE_MIN_INTERVAL: '0' });
  try {
    await linkSession(gw, sb, 'bench', OURS);
    await sb.ok('POST', '/sandbox/v1/accounts', { phone: HUMAN });
    const { id: groupId } = await sb.ok('POST', `/sandbox/v1/accounts/${HUMAN}/groups`, { subject: 'Bench', participants: [OURS] });
    await sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(groupId)}/actions`, { as: HUMAN, action: 'promote', participants: [OURS] });

    const ping = () => gw.request('GET', '/api/v1/server/ping');
    const revoke = () => gw.request('POST', '/api/v1/group/invite/revoke', { body: { sessionId: 'bench', groupId } });
    // Warm-up: JIT, connection pool, and the group's first code read into the lineage.
    await sample(20, ping);
    await sample(5, revoke);
    const pings = await sample(REVOKES, ping);
    const revokes = await sample(REVOKES, revoke);

    report(`server/ping, median of ${REVOKES} (baseline)`, median(pings), 'ms');
    report('server/ping, p95 (baseline)', p95(pings), 'ms');
    report(`group/invite/revoke, median of ${REVOKES} (${DIALECT})`, median(revokes), 'ms', { label: 'ping median', value: median(pings) });
    report(`group/invite/revoke, p95 (${DIALECT})`, p95(revokes), 'ms', { label: 'ping p95', value: p95(pings) });
  } finally {
    await gw.stop();
    await sb.sandbox.stop();
    await db.dispose();
  }
}
