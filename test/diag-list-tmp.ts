// temporary diagnostic (deleted after use)
import { TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from './support/gateway-harness.js';
const CHATS = 10000;
const sb = await TestSandbox.start();
const db = await TestDatabase.create((process.env.D ?? 'sqlite') as 'sqlite');
const gw = await TestGateway.start(db, sb, { WAYGATE_HISTORY_MESSAGES_PER_CHAT: '100' });
await sb.ok('POST', '/sandbox/v1/accounts', { phone: '15558880001', name: 'H' });
await sb.ok('POST', '/sandbox/v1/accounts/15558880001/history', { generate: { chats: CHATS, messages: 5, spanDays: 1, staggerSeconds: 1 } });
await linkSession(gw, sb, 'h', '15558880001', 'H');
await eventually(async () => ((await gw.request('GET', '/api/v1/chats?sessionId=h&limit=1')).body.results?.[0]?.pagination?.total === CHATS ? true : undefined), { timeoutMs: 600_000, intervalMs: 250 });
{
  const { openDatabase } = await import('../src/store/open-database.js');
  const { listChats, messagesByIds } = await import('../src/store/repos/chats.js');
  const store = await openDatabase({ url: db.url, dataDir: db.dataDir });
  for (let rep = 0; rep < 2; rep++) {
    let a = 0, b = 0;
    for (let k = 0; k < 50; k++) {
      const t0 = performance.now();
      const { rows } = await listChats(store.db, 'h', { limit: 50, offset: (k * 997) % 9950, sortBy: 'lastMessage', sortOrder: 'desc', exclude: ['x@s.whatsapp.net'] });
      const t1 = performance.now();
      await messagesByIds(store.db, 'h', rows.map((r) => ({ chat: r.jid, id: r.last_message_id! })));
      a += t1 - t0; b += performance.now() - t1;
    }
    console.log('listChats', (a / 50).toFixed(2), 'ms; messagesByIds', (b / 50).toFixed(2), 'ms');
  }
  await store.close();
  const { default: SQLite } = await import('better-sqlite3');
  const d = new SQLite(db.dataDir + '/waygate.db', { readonly: true });
  const ids = d.prepare("select last_message_id from chats where session_id='h' order by last_message_at desc limit 50 offset 5000").all().map((r: any) => r.last_message_id);
  const cols = ['session_id', 'chat_jid', 'id', 'from_me', 'sender_jid', 'sender_pn', 'sender_lid', 'push_name', 'type', 'text', 'quoted_id', 'mentions', 'media_id', 'timestamp', 'status', 'status_at', 'edited_at', 'revoked_at', 'starred', 'created_at'];
  for (const c of [...cols, 'raw', cols.join(', ')]) {
    const q = `select ${c} from messages where session_id = ? and id in (${ids.map(() => '?').join(',')})`;
    if (c.includes(',') || c === 'raw' || c === 'mentions') console.log(d.prepare('explain query plan ' + q).all('h', ...ids).map((r: any) => r.detail).join(' | '));
    const st = d.prepare(q); const t0 = performance.now(); for (let k = 0; k < 50; k++) st.all('h', ...ids); console.log(c.slice(0, 30), ((performance.now() - t0) / 50).toFixed(3), 'ms');
  }
  console.log(d.prepare('select * from messages where session_id = ? and id = ?').get('h', ids[0]));
}
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.start');
const t = performance.now(); let n = 0;
const path = process.env.P ?? 'list';
await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() - t < 5000) { const off = Math.floor(Math.random() * 9950); const url = path === 'list' ? `/api/v1/chats?sessionId=h&limit=50&offset=${off}&sortBy=lastMessage` : path === 'ping' ? '/api/v1/server/ping' : `/api/v1/chats/1999${String(off).padStart(7, '0')}/messages?sessionId=h&limit=50`; const a = await gw.request('GET', url); if (a.status !== 200) throw new Error(JSON.stringify(a.body)); n++; } }));
console.log(path, 'req/s', n / 5);
const { profile } = await session.post('Profiler.stop');
(await import('node:fs')).writeFileSync('/tmp/hdiag/list.cpuprofile', JSON.stringify(profile));
await gw.stop(); await sb.sandbox.stop(); await db.dispose();
process.exit(0);
