// node bench/hit-floor.mjs [--connections 32] [--duration 5] [--rounds 3]
// What a cache hit costs without this service around it: the same answer (a post detail's bytes and
// headers) from bare node:http, from bare node:http after one Redis MGET of the entry and its two
// tags' generations (what every hit read before the generation watch), from a bare Fastify app doing
// that MGET in an onRequest hook, and from one answering from memory there (what an anonymous hit
// does now, ahead of the service's own work). Each server runs alone on CPU 0, wrk on CPU 1; API CPU
// µs an answer from /proc, medians of the rounds.
import { createClient } from '@redis/client';
import { execFile, fork } from 'node:child_process';
import { cpuSeconds } from './process-cpu.mjs';

const PORT = 3996;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEYS = ['chopchop:floor:entry', 'chopchop:floor:tag:a', 'chopchop:floor:tag:b'];
const BODY = Buffer.from(JSON.stringify({ id: '772f8cd1-ed7a-43d2-8d2d-c58023feff49', title: 'Midweek pasta stew', body: 'x'.repeat(900) }));
const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  etag: '"0123456789abcdefghijklmnopqrstuvwxyz0"',
  'x-cache': 'HIT',
  'cache-control': 'no-cache',
  vary: 'Accept-Encoding',
};

async function server(kind) {
  const redis = kind === 'http' || kind === 'fastify-local' ? null : await createClient({ url: REDIS_URL }).connect();
  if (kind.startsWith('fastify')) {
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ logger: false });
    app.addHook('onRequest', async (request, reply) => {
      const [entry] = redis ? await redis.mGet(KEYS) : [BODY];
      if (entry === null) return;
      void reply.headers({ ...HEADERS, 'x-request-id': request.id });
      return reply.send(BODY);
    });
    app.get('/hit', async () => ({ miss: true }));
    await app.listen({ port: PORT, host: '127.0.0.1' });
    return;
  }
  const { createServer } = await import('node:http');
  createServer((_request, response) => {
    const send = () => {
      response.writeHead(200, HEADERS);
      response.end(BODY);
    };
    if (!redis) send();
    else void redis.mGet(KEYS).then(send);
  }).listen(PORT, '127.0.0.1');
}

function wrk(connections, duration) {
  return new Promise((resolve, reject) =>
    execFile('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${duration}s`, `http://127.0.0.1:${PORT}/hit`], (error, out) => {
      if (error) reject(error);
      else resolve(Number(/(\d+) requests in/.exec(out)[1]));
    }),
  );
}

async function measure(kind, { connections, duration, rounds }) {
  const child = fork(new URL(import.meta.url), ['--serve', kind], { stdio: 'inherit' });
  await new Promise((resolve) => child.once('message', resolve));
  execFile('taskset', ['-p', '-c', '0', String(child.pid)]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await wrk(connections, 2);
  const runs = [];
  for (let round = 0; round < rounds; round += 1) {
    const before = cpuSeconds(child.pid);
    const answers = await wrk(connections, duration);
    const cpu = cpuSeconds(child.pid) - before;
    runs.push({ rps: Math.round(answers / duration), cpuUs: Math.round((cpu * 1e6) / answers) });
  }
  child.kill();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { kind, rps: median(runs.map((r) => r.rps)), cpuUs: median(runs.map((r) => r.cpuUs)), runs };
}

const argv = process.argv.slice(2);
if (argv[0] === '--serve') {
  await server(argv[1]);
  process.send('ready');
} else {
  const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const options = { connections: option('--connections', 32), duration: option('--duration', 5), rounds: option('--rounds', 3) };
  const redis = await createClient({ url: REDIS_URL }).connect();
  await redis.mSet([[KEYS[0], BODY.toString()], [KEYS[1], '1'], [KEYS[2], '1']]);
  await redis.quit();
  console.log(`| server (${options.connections} connections, ${options.rounds} × ${options.duration} s, medians) | req/s | CPU µs/answer | % of bare node:http req/s |`);
  console.log('|---|---:|---:|---:|');
  let bare;
  const names = {
    http: 'bare node:http',
    'http+mget': 'node:http + one Redis MGET',
    fastify: 'Fastify, MGET in onRequest',
    'fastify-local': 'Fastify, answered in onRequest from memory (no MGET: as with the generation watch)',
  };
  for (const kind of Object.keys(names)) {
    const result = await measure(kind, options);
    bare ??= result.rps;
    console.log(`| ${names[kind]} | ${result.rps} | ${result.cpuUs} | ${Math.round((100 * result.rps) / bare)} % |`);
  }
}
