// `npm run bench -- --instances 1,2 [--rolling-restart]` and `--storm`: N production instances behind
// nginx (deploy/nginx.conf, addresses changed only), rate limits counted across them, a rolling
// restart under load, and a login storm beside cached reads.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const { startNginx } = require('./nginx.cjs');

const FIRST_INSTANCE_PORT = 4001;
/** The load generator's CPU (the last one); the instances share the others. */
const LOAD_CPU = os.cpus().length - 1;

/** Instance `i`'s CPU, "pinned where cores allow": round-robin over every CPU but the load generator's. */
const instanceCpu = (i) => (LOAD_CPU === 0 ? 0 : i % LOAD_CPU);

/**
 * One production instance (`node dist/src/main.js`) on its port and CPU. TRUST_PROXY=2: nginx and
 * one hop before it (the bench plays a CDN), so each simulated client can bring its own address.
 */
function startInstance(ctx, i, prefix) {
  const env = {
    ...ctx.benchEnv(),
    PORT: String(FIRST_INSTANCE_PORT + i),
    TRUST_PROXY: '2',
    AUTH_RATE_LIMIT: String(ctx.authLimit),
    CACHE_KEY_PREFIX: prefix,
    SHUTDOWN_DELAY_MS: '1000',
    SHUTDOWN_GRACE_MS: '10000',
  };
  const child = spawn('taskset', ['-c', String(instanceCpu(i)), 'node', 'dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, port: FIRST_INSTANCE_PORT + i, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))) };
}

async function startInstances(ctx, n, prefix) {
  const instances = Array.from({ length: n }, (_, i) => startInstance(ctx, i, prefix));
  await Promise.all(instances.map((instance) => ctx.waitFor(`http://127.0.0.1:${instance.port}/health/ready`)));
  return instances;
}

async function stopInstances(instances) {
  for (const instance of instances) instance.child.kill('SIGTERM');
  await Promise.all(instances.map((instance) => instance.exited));
}

/** AUTH_RATE_LIMIT from one client, spread over every instance by nginx: how many got through. */
async function rateLimitCheck(ctx) {
  const client = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const statuses = [];
  for (let i = 0; i < ctx.authLimit * 2; i += 1) {
    const response = await fetch(`${ctx.base}/api/v1/auth/confirm/resend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ email: 'nobody@example.com' }),
    });
    statuses.push(response.status);
  }
  return { sent: statuses.length, allowed: statuses.filter((s) => s === 202).length, limited: statuses.filter((s) => s === 429).length };
}

/**
 * Restarts the instances one by one while wrk reads through nginx: SIGTERM (drain, refuse, exit 0),
 * a new process on the same port, ready, then the next. wrk's errors count every non-2xx answer and
 * every socket error.
 */
async function rollingRestart(ctx, instances, prefix) {
  const perInstance = 8;
  const duration = instances.length * perInstance + 6;
  const load = ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20`, duration });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const exits = [];
  for (let i = 0; i < instances.length; i += 1) {
    const started = Date.now();
    instances[i].child.kill('SIGTERM');
    exits.push(await instances[i].exited);
    instances[i] = startInstance(ctx, i, prefix);
    await ctx.waitFor(`http://127.0.0.1:${instances[i].port}/health/ready`);
    process.stderr.write(`restarted instance ${i + 1} in ${Date.now() - started} ms (exit code ${exits.at(-1)})\n`);
  }
  const result = await load;
  return { ...result, duration, exits };
}

/** Cached, uncached and mixed through nginx at 1, 2, … instances, with the rate-limit check. */
export async function scaleOutRun(ctx) {
  const rows = [];
  let restart = null;
  for (const n of ctx.args.instances) {
    const prefix = `bench-n${n}-${Date.now()}`;
    const instances = await startInstances(ctx, n, prefix);
    const lb = await startNginx(instances.map((instance) => instance.port), ctx.port);
    try {
      const f = await ctx.fixtures();
      const detail = `/api/v1/posts/${f.post}`;
      for (const path of ['/api/v1/posts?limit=20', detail]) await fetch(ctx.base + path); // warm: cache entries exist
      await ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20`, duration: 3 }); // warm: V8 optimises the paths
      const cached = await ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20` });
      const uncached = await ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20`, headers: { 'cache-control': 'no-cache' } });
      const uncachedDetail = await ctx.load({ url: ctx.base + detail, headers: { 'cache-control': 'no-cache' } });
      const mixed = ctx.args.mixedDuration > 0 ? await ctx.mixed() : null;
      const limits = await rateLimitCheck(ctx);
      rows.push({ n, cpus: instances.map((_, i) => instanceCpu(i)), cached, uncached, uncachedDetail, mixed: mixed && { ...ctx.summary(mixed.result), stale: mixed.stale, checked: mixed.checked, unpaired: mixed.unpaired }, limits });
      process.stderr.write(`${n} instance(s): cached ${cached.rps}/s, uncached ${uncached.rps}/s, detail ${uncachedDetail.rps}/s; ${limits.allowed} of ${limits.sent} auth requests allowed\n`);
      if (ctx.args.rollingRestart && n === Math.max(...ctx.args.instances)) restart = await rollingRestart(ctx, instances, prefix);
    } finally {
      await lb.stop();
      await stopInstances(instances);
    }
  }
  return { rows, restart, markdown: scaleOutTable(ctx, rows, restart) };
}

function scaleOutTable(ctx, rows, restart) {
  const lines = [
    '| instances (CPU of each) | cached list req/s (p50 / p99 ms) | uncached list req/s (p50 / p99) | uncached detail req/s (p50 / p99) | mixed req/s, stale reads | errors | AUTH_RATE_LIMIT from one client |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const errors = r.cached.errors + r.uncached.errors + r.uncachedDetail.errors + (r.mixed?.errors ?? 0);
    const cell = (m) => `${m.rps} (${m.p50} / ${m.p99})`;
    lines.push(
      `| ${r.n} (${r.cpus.join(', ')}) | ${cell(r.cached)} | ${cell(r.uncached)} | ${cell(r.uncachedDetail)} | ${r.mixed ? `${r.mixed.rps}, ${r.mixed.stale} of ${r.mixed.checked}${r.mixed.unpaired ? ` (${r.mixed.unpaired} mispaired)` : ''}` : '–'} | ${errors} | ${r.limits.allowed} allowed of ${r.limits.sent} (limit ${ctx.authLimit}) |`,
    );
  }
  if (restart) {
    lines.push(
      '',
      `Rolling restart of ${rows.at(-1).n} instances under load (cached list, ${ctx.args.connections} connections, ${restart.duration} s through nginx, ` +
        `each instance SIGTERMed, replaced and ready before the next): ${restart.rps} req/s, p50 ${restart.p50} ms, p99 ${restart.p99} ms, ` +
        `**${restart.errors} failed requests**; exit codes ${restart.exits.join(', ')}.`,
    );
  }
  return lines.join('\n');
}

/**
 * 16 clients logging in (BCRYPT_ROUNDS=12) beside cached reads: the reads' p99 alone and during the
 * storm, `rounds` times; the ratio's median is the result (target ≤ 1.5).
 */
export async function stormRun(ctx, accounts) {
  const runs = [];
  for (let round = 0; round < ctx.args.rounds; round += 1) {
    const alone = await ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20` });
    let logins = 0;
    let shed = 0;
    const storm = new Promise((resolve, reject) => {
      const instance = autocannon(
        {
          url: ctx.base,
          connections: 16,
          duration: ctx.args.duration + 1,
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                method: 'POST',
                path: '/api/v1/auth/login',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ email: accounts[logins++ % accounts.length], password: ctx.password }),
              }),
              onResponse: (status) => {
                if (status === 503) shed += 1;
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      instance.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the storm is on before the reads start
    const during = await ctx.load({ url: `${ctx.base}/api/v1/posts?limit=20` });
    const stormResult = await storm;
    runs.push({ alone, during, ratio: during.p99 / alone.p99, loginsPerSecond: Math.round(stormResult.requests.average), shed, loginErrors: stormResult.errors });
    process.stderr.write(`storm round ${round + 1}: p99 alone ${alone.p99} ms, during ${during.p99} ms (${(during.p99 / alone.p99).toFixed(2)}×), ${Math.round(stormResult.requests.average)} logins/s, ${shed} shed\n`);
  }
  const sorted = [...runs].sort((a, b) => a.ratio - b.ratio);
  const middle = sorted[Math.floor(sorted.length / 2)];
  const markdown = [
    '| round | cached-read p99 alone ms | during the storm ms | ratio | reads/s alone → during | logins/s (503 shed) |',
    '|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r, i) => `| ${i + 1} | ${r.alone.p99} | ${r.during.p99} | ${r.ratio.toFixed(2)} | ${r.alone.rps} → ${r.during.rps} | ${r.loginsPerSecond} (${r.shed}) |`),
    '',
    `Median ratio: **${middle.ratio.toFixed(2)}** (target ≤ 1.5).`,
  ].join('\n');
  return { runs, markdown };
}
