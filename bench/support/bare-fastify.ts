// Baseline for HTTP throughput: a bare Fastify server answering one JSON route, run as its own process like
// the gateway, so the ratio isolates what the gateway adds (auth, envelope, metrics, routing).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/ping', async () => ({ pong: true, ts: Date.now() }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${address.port}` })}\n`);
