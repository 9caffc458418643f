// npm run bench [-- --duration 5 --connections 10 --rounds 3 --scenarios a,b --mixed-duration 60 --scale [--sizes 10000,100000 --repeat 3]
//                   --instances 1,2 [--rolling-restart] | --storm]   (BENCH_DEBUG=1 prints wrk's own output)
// Cached vs uncached answers of the same URLs, gzip and brotli hits beside identity hits, the bare
// node:http ceiling for the same bytes, and an authenticated read/write scenario that checks every
// read against what it wrote. The API (and the ceiling server) run on CPU 0, the load generator on
// CPU 1 (taskset); PostgreSQL and Redis are not pinned.
// Fixed-URL load comes from wrk (Debian's `wrk` package): autocannon, a JavaScript client, became the
// bottleneck on binary (compressed) bodies, capping them at ~3 000 req/s where wrk measures 33 000 on
// the same server. The mixed scenario, which checks bodies, still uses autocannon.
import autocannon from 'autocannon';
import { execFile, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import sharp from 'sharp';
import { buildPostListQuery } from '../dist/src/posts/post-list.query.js';
import { capturedSince, pgbenchCeiling } from './db-ceiling.mjs';
import { cpuSeconds, machineTicks, stealBetween } from './process-cpu.mjs';
import { scaleOutRun, stormRun } from './scale-out.mjs';
import { BENCH_PASSWORD, seed } from './seed.mjs';

const args = parseArgs(process.argv.slice(2));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chopchop_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = 3999;
const CEILING_PORT = 3998;
const CAPTURE_PORT = 3997;
const BASE = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`;

function parseArgs(argv) {
  const options = { duration: 5, connections: 10, rounds: 3, scenarios: null, mixedDuration: 60, scale: false, sizes: [10_000, 100_000, 1_000_000], repeat: 1, instances: null, rollingRestart: false, storm: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--scale') options.scale = true;
    else if (flag === '--duration') options.duration = Number(argv[++i]);
    else if (flag === '--connections') options.connections = Number(argv[++i]);
    else if (flag === '--rounds') options.rounds = Number(argv[++i]);
    else if (flag === '--mixed-duration') options.mixedDuration = Number(argv[++i]);
    else if (flag === '--scenarios') options.scenarios = argv[++i].split(',');
    else if (flag === '--sizes') options.sizes = argv[++i].split(',').map(Number);
    else if (flag === '--repeat') options.repeat = Number(argv[++i]);
    else if (flag === '--instances') options.instances = argv[++i].split(',').map(Number);
    else if (flag === '--rolling-restart') options.rollingRestart = true;
    else if (flag === '--storm') options.storm = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  return options;
}

async function sql(text, params) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function ensureDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

const benchEnv = () => ({
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(PORT),
    DATABASE_URL,
    REDIS_URL,
    CACHE_BYPASS: 'on',
    CACHE_TTL: '600',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT: '1000000',
    WRITE_RATE_LIMIT: '1000000',
    BCRYPT_ROUNDS: args.storm ? '12' : '4',
    SHUTDOWN_DELAY_MS: '0',
    JWT_TTL: '7200',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    // Photo jobs go to the worker process the upload scenario starts (as in production).
    WORKERS: 'off',
    PHOTOS_PER_POST: '100',
});

/**
 * The API on CPU 0. The storm runs it on every CPU: a bounded number of password hashes (HASH_CONCURRENCY,
 * cores − 1) only leaves the event loop a core when the process may use more than one.
 */
function startApi() {
  const cpus = args.storm ? `0-${os.cpus().length - 1}` : '0';
  return spawn('taskset', ['-c', cpus, 'node', 'dist/src/main.js'], { env: benchEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
}

/** An API that records every statement it sends (bench/capture-sql.cjs): the database ceilings replay them. */
function startCaptureApi(file) {
  const env = { ...benchEnv(), PORT: String(CAPTURE_PORT), CAPTURE_SQL: file };
  return spawn('node', ['-r', './bench/capture-sql.cjs', 'dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** One worker process (`node dist/src/worker.js`), on the API's CPU. */
function startWorker() {
  return spawn('taskset', ['-c', '0', 'node', 'dist/src/worker.js'], { env: benchEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Phone-sized photos made here (noise, so they do not compress away): none is committed. */
async function benchPhotos() {
  const make = (width, height, quality) =>
    sharp({ create: { width, height, channels: 3, background: 'black', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg({ quality }).toBuffer();
  return Promise.all([make(1200, 900, 80), make(1600, 1200, 85), make(2400, 1800, 85), make(2800, 2100, 85)]);
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
};

/**
 * Uploads real JPEGs (0.5–4 MB) at N connections for `--duration` seconds against the API while one
 * worker process processes them; then waits for the queue to drain and reads, from the database,
 * each photo's queue wait (job created → started) and processing time (started → completed).
 */
async function uploadRun() {
  const photos = await benchPhotos();
  const users = await sql(`SELECT email FROM users ORDER BY email LIMIT $1`, [args.connections]);
  const sessions = [];
  for (const { email } of users) {
    const token = await login(email);
    const post = await fetch(`${BASE}/api/v1/posts`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bench photos', body: 'Uploads.', complexity: 'easy', ingredients: [] }),
    });
    sessions.push({ token, post: (await post.json()).id, uploads: 0 });
  }
  const worker = startWorker();
  const started = new Date();
  const latencies = [];
  let errors = 0;
  let bytes = 0;
  const deadline = Date.now() + args.duration * 1000;
  await Promise.all(
    sessions.map(async (session, i) => {
      for (let n = i; Date.now() < deadline; n += 1) {
        if (session.uploads === 100) {
          const post = await fetch(`${BASE}/api/v1/posts`, {
            method: 'POST',
            headers: { ...bearer(session.token), 'content-type': 'application/json' },
            body: JSON.stringify({ title: 'Bench photos', body: 'Uploads.', complexity: 'easy', ingredients: [] }),
          });
          session.post = (await post.json()).id;
          session.uploads = 0;
        }
        const photo = photos[n % photos.length];
        const form = new FormData();
        form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'dish.jpg');
        const t0 = performance.now();
        const response = await fetch(`${BASE}/api/v1/posts/${session.post}/photos`, { method: 'POST', headers: bearer(session.token), body: form });
        await response.arrayBuffer();
        if (response.status === 202) {
          latencies.push(performance.now() - t0);
          bytes += photo.length;
          session.uploads += 1;
        } else errors += 1;
      }
    }),
  );
  const uploaded = latencies.length;
  // Let the worker finish the backlog (at most 10 minutes), then read the timings.
  for (let i = 0; i < 600; i += 1) {
    const [{ waiting }] = await sql(`SELECT count(*)::int AS waiting FROM photos WHERE created_at >= $1 AND status IN ('pending', 'processing')`, [started]);
    if (waiting === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  worker.kill('SIGTERM');
  const jobs = await sql(
    `SELECT extract(epoch FROM j.started_on - j.created_on) * 1000 AS wait, extract(epoch FROM j.completed_on - j.started_on) * 1000 AS work, p.status
       FROM pgboss.job j JOIN photos p ON p.id::text = j.singleton_key
      WHERE j.name = 'photo.process' AND p.created_at >= $1 AND j.state = 'completed'`,
    [started],
  );
  const ms = (v) => (v === null ? '–' : Math.round(v));
  const mb = (n) => (n / 1024 / 1024).toFixed(2);
  return [
    `| uploads | connections | uploads/s | MB/s in | p50 / p99 to 202 ms | errors | queue wait p50 / p99 ms | processing p50 / p99 ms | processed/s (1 worker) | ready / failed |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${uploaded} | ${sessions.length} | ${(uploaded / args.duration).toFixed(1)} | ${mb(bytes / args.duration)} | ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} | ${errors} | ` +
      `${ms(percentile(jobs.map((j) => Number(j.wait)), 50))} / ${ms(percentile(jobs.map((j) => Number(j.wait)), 99))} | ` +
      `${ms(percentile(jobs.map((j) => Number(j.work)), 50))} / ${ms(percentile(jobs.map((j) => Number(j.work)), 99))} | ` +
      `${(jobs.length / (jobs.reduce((sum, j) => sum + Number(j.work), 0) / 1000 || 1)).toFixed(1)} | ${jobs.filter((j) => j.status === 'ready').length} / ${jobs.filter((j) => j.status === 'failed').length} |`,
    '',
    `Photos: ${photos.map((p) => `${mb(p.length)} MB`).join(', ')} (JPEG, 1200×900 to 2800×2100), uploaded in turn.`,
  ].join('\n');
}

async function waitFor(url) {
  for (let i = 0; i < 150; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** The API process's pid when the bench started it: its CPU time is read from /proc around each run. */
let apiPid = null;

/**
 * One wrk run (on CPU 1) against a fixed URL: { rps, p50, p99 (ms), errors, wireBytes, cpuUs }.
 * cpuUs, the API's own CPU time per answer, is steadier than req/s on a machine whose neighbours
 * come and go: it is what a change to the request path really costs.
 */
async function load({ url, headers = {}, duration = args.duration }) {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const wrkArgs = ['-c', String(os.cpus().length - 1), 'wrk', '-t1', `-c${args.connections}`, `-d${duration}s`, '--latency', ...headerArgs, url];
  const cpuBefore = apiPid && url.startsWith(BASE) ? cpuSeconds(apiPid) : null;
  const stdout = await new Promise((resolve, reject) => execFile('taskset', wrkArgs, (error, out) => (error ? reject(error) : resolve(out))));
  const result = parseWrk(stdout);
  if (process.env.BENCH_DEBUG) process.stderr.write(stdout);
  const cpuAfter = cpuBefore === null ? null : cpuSeconds(apiPid);
  const requests = result.rps * duration;
  return { ...result, cpuUs: cpuAfter === null || requests === 0 ? null : Math.round(((cpuAfter - cpuBefore) * 1e6) / requests) };
}

function parseWrk(text) {
  const ms = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  const latency = (percent) => {
    const match = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
    return match ? Math.round(ms(match[1], match[2]) * 10) / 10 : null;
  };
  const requests = Number(/([\d]+) requests in/.exec(text)?.[1] ?? 0);
  const seconds = Number(/requests in ([\d.]+)s/.exec(text)?.[1] ?? 1);
  const bytesRead = /requests in [\d.]+s, ([\d.]+)(B|KB|MB|GB) read/.exec(text);
  const bytes = bytesRead ? Number(bytesRead[1]) * { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[bytesRead[2]] : 0;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  // wrk gives up on an answer after 2 s and counts a timeout: not an error the server sent.
  const timeouts = socket ? Number(socket[4]) : 0;
  const errors = non2xx + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { rps: Math.round(requests / seconds), p50: latency(50), p99: latency(99), errors, timeouts, wireBytes: requests ? Math.round(bytes / requests) : 0 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function cacheCounts() {
  const text = await (await fetch(`${BASE}/metrics`)).text();
  const counts = {};
  for (const [, route, result, value] of text.matchAll(/chopchop_response_cache_total\{route="([^"]+)",result="([^"]+)"\} (\d+)/g)) {
    counts[`${route}:${result}`] = Number(value);
  }
  return counts;
}

let logins = 0;

/** An access token of a seeded user (`cook<N>`); each login as its own client (behind nginx, TRUST_PROXY=2). */
async function login(email) {
  logins += 1;
  const response = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.99.${logins >> 8}.${logins & 255}` },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** cook1 follows everyone and cook2 five cooks (see bench/seed.mjs); cook3 reads lists signed in. */
async function fixtures() {
  const [post] = await sql('SELECT id, author_id FROM posts ORDER BY created_at DESC LIMIT 1');
  const [ingredient] = await sql(`SELECT i.name FROM ingredients i JOIN post_ingredients pi ON pi.ingredient_id = i.id GROUP BY i.name ORDER BY count(*) DESC LIMIT 1`);
  const [heavy, light, reader] = await Promise.all(['cook1', 'cook2', 'cook3'].map((cook) => login(`${cook}@bench.chopchop.test`)));
  return { post: post.id, author: post.author_id, ingredient: ingredient.name, heavy, light, reader };
}

function scenarios(f) {
  const all = [
    ['post detail', `/api/v1/posts/${f.post}`],
    ['posts new limit=20', '/api/v1/posts?limit=20'],
    ['posts new limit=100', '/api/v1/posts?limit=100'],
    ['posts popular limit=20', '/api/v1/posts?sort=popular&limit=20'],
    ['posts popular limit=100', '/api/v1/posts?sort=popular&limit=100'],
    ['filtered (ingredient+complexity)', `/api/v1/posts?ingredient=${encodeURIComponent(f.ingredient)}&complexity=hard`],
    ['full-text search', '/api/v1/posts?q=lemon%20risotto'],
    ['ingredient autocomplete', '/api/v1/ingredients?q=sm'],
    ['users limit=100', '/api/v1/users?limit=100'],
    ["a user's posts", `/api/v1/users/${f.author}/posts`],
    ['posts new limit=20, signed in (with flags)', '/api/v1/posts?limit=20', bearer(f.reader)],
    ['feed, heavy follower (follows everyone)', '/api/v1/feed', bearer(f.heavy)],
    ['feed, light follower (follows 5)', '/api/v1/feed', bearer(f.light)],
  ];
  return args.scenarios ? all.filter(([name]) => args.scenarios.some((s) => name.includes(s))) : all;
}

/** The bare node:http ceiling server (bench/ceiling-server.mjs) answering `body`, on the API's CPU. */
async function startCeiling(body) {
  const file = `${os.tmpdir()}/chopchop-ceiling-${process.pid}.json`;
  writeFileSync(file, body);
  const server = fork('bench/ceiling-server.mjs', [String(CEILING_PORT), file], { execArgv: [], stdio: 'ignore' });
  spawn('taskset', ['-p', '-c', '0', String(server.pid)], { stdio: 'ignore' });
  await new Promise((resolve) => server.once('message', resolve));
  return { url: `http://127.0.0.1:${CEILING_PORT}/`, stop: () => server.kill() };
}

/**
 * One autocannon client a session, all at once, each with its own state in a closure (autocannon
 * resets a connection's `context` at the start of every loop of its requests, so state kept there
 * would leak between sessions). Returns the combined result and the checks' tally.
 */
async function perSession(sessions, build) {
  const tally = { stale: 0, checked: 0, unpaired: 0, byRead: {} };
  // `paired` false: the body is not the resource this step asked for. Seen through nginx: autocannon
  // occasionally hands a step the answer of the session's next request (the list, 17 KB, where the
  // post was asked for); that is the load generator's bookkeeping, not a stale read, and is counted apart.
  const check = (name, ok, paired = true) => {
    if (!paired) {
      tally.unpaired += 1;
      return;
    }
    tally.checked += 1;
    if (ok) return;
    tally.stale += 1;
    tally.byRead[name] = (tally.byRead[name] ?? 0) + 1;
  };
  const results = await Promise.all(
    sessions.map(
      (session) =>
        new Promise((resolve, reject) =>
          autocannon({ url: BASE, connections: 1, duration: args.mixedDuration, requests: build(session, check) }, (error, res) => (error ? reject(error) : resolve(res))),
        ),
    ),
  );
  if (tally.stale > 0) process.stderr.write(`wrong reads by route: ${JSON.stringify(tally.byRead)}\n`);
  if (tally.unpaired > 0) process.stderr.write(`answers paired with the wrong step by autocannon (left out): ${tally.unpaired}\n`);
  const result = {
    requests: { average: results.reduce((sum, r) => sum + r.requests.average, 0) },
    latency: { p50: median(results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)) },
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
  };
  return { result, ...tally };
}

/** Each connection logs in as its own user, edits its own post and reads it back: any other title is a stale read. */
async function mixed() {
  const owners = await sql(
    `SELECT DISTINCT ON (u.id) u.email, p.id AS post FROM users u JOIN posts p ON p.author_id = u.id ORDER BY u.id, p.created_at LIMIT $1`,
    [args.connections],
  );
  const sessions = [];
  for (const owner of owners) sessions.push({ token: await login(owner.email), post: owner.post, version: 0 });
  return perSession(sessions, (session, check) => [
    {
      setupRequest: (request) => {
        session.version += 1;
        const headers = { ...bearer(session.token), 'content-type': 'application/json' };
        return { ...request, method: 'PATCH', path: `/api/v1/posts/${session.post}`, headers, body: JSON.stringify({ title: `Bench edit ${session.version}` }) };
      },
    },
    {
      setupRequest: (request) => ({ ...request, method: 'GET', path: `/api/v1/posts/${session.post}`, headers: {}, body: undefined }),
      onResponse: (status, body) => {
        const post = JSON.parse(body);
        check('post', status === 200 && post.title === `Bench edit ${session.version}`, post.id === session.post);
      },
    },
    { setupRequest: (request) => ({ ...request, method: 'GET', path: '/api/v1/posts?limit=20', headers: {}, body: undefined }) },
  ]);
}

/**
 * Social writes and reads, each connection as its own user, toggling a like, a save and a follow
 * and reading back after each: the post (its `liked`), the saved list, the cook's profile (its
 * `following`), the feed (the cook's posts gone after an unfollow) and the new-first list (the
 * post's `liked`). A read that does not show the connection's own last write — stale, or another
 * caller's flags — is counted.
 */
async function mixedSocial() {
  const [target] = await sql('SELECT p.id, p.author_id FROM posts p ORDER BY p.created_at DESC LIMIT 1');
  const users = await sql(`SELECT email FROM users WHERE id <> $1 AND email NOT IN ('cook1@bench.chopchop.test', 'cook2@bench.chopchop.test') ORDER BY email LIMIT $2`, [
    target.author_id,
    args.connections,
  ]);
  const sessions = [];
  for (const { email } of users) {
    const token = await login(email);
    // Start from a known state: not liking, saving or following.
    for (const path of [`/api/v1/posts/${target.id}/like`, `/api/v1/posts/${target.id}/save`, `/api/v1/users/${target.author_id}/follow`]) {
      await fetch(BASE + path, { method: 'DELETE', headers: bearer(token) });
    }
    sessions.push({ token, on: false });
  }
  return perSession(sessions, (session, check) => {
    const write = (path, toggle = false) => ({
      setupRequest: (request) => {
        if (toggle) session.on = !session.on;
        return { ...request, method: session.on ? 'PUT' : 'DELETE', path, headers: bearer(session.token), body: undefined };
      },
    });
    const read = (path, verify) => ({
      setupRequest: (request) => ({ ...request, method: 'GET', path, headers: bearer(session.token), body: undefined }),
      onResponse: (status, body) => check(path, status === 200 && verify(JSON.parse(body), session.on)),
    });
    return [
      write(`/api/v1/posts/${target.id}/like`, true),
      read(`/api/v1/posts/${target.id}`, (post, on) => post.liked === on),
      write(`/api/v1/posts/${target.id}/save`),
      read('/api/v1/users/me/saved?limit=100', (page, on) => page.items.some((p) => p.id === target.id) === on),
      write(`/api/v1/users/${target.author_id}/follow`),
      read(`/api/v1/users/${target.author_id}`, (user, on) => user.following === on),
      read('/api/v1/feed', (page, on) => on || page.items.every((p) => p.author.id !== target.author_id)),
      read('/api/v1/posts?limit=20', (page, on) => page.items.find((p) => p.id === target.id)?.liked === on),
    ];
  });
}

/** An autocannon result in the shape of a wrk summary. */
const summary = (r) => ({ rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts });

/**
 * Identity, gzip and brotli hits of one URL, interleaved for `rounds` rounds: each mode's median.
 * Interleaving spreads this machine's drift over all three instead of charging it to one.
 */
/**
 * The cached modes and the bare node:http ceiling, interleaved round by round (identity, gzip, br,
 * ceiling): on a machine whose neighbours come and go, a ratio of runs made seconds apart is
 * steadier than one of runs made a minute apart. Each mode's row is its median round; `ofCeiling`
 * is the median of its per-round ratios to the ceiling.
 */
async function cachedModes(url, auth, ceilingUrl) {
  const modes = { identity: { ...auth }, gzip: { ...auth, 'accept-encoding': 'gzip' }, br: { ...auth, 'accept-encoding': 'br' } };
  const runs = { identity: [], gzip: [], br: [], ceiling: [] };
  for (let round = 0; round < args.rounds; round += 1) {
    for (const [mode, headers] of Object.entries(modes)) runs[mode].push(await load({ url, headers }));
    runs.ceiling.push(await load({ url: ceilingUrl }));
  }
  return Object.fromEntries(
    Object.entries(runs).map(([mode, results]) => {
      const middle = results.find((r) => r.rps === median(results.map((x) => x.rps)));
      const cpuRuns = results.map((r) => r.cpuUs).filter((v) => v !== null);
      const ofCeiling = median(results.map((r, round) => r.rps / runs.ceiling[round].rps));
      return [
        mode,
        { ...middle, cpuUs: cpuRuns.length ? median(cpuRuns) : null, errors: results.reduce((sum, r) => sum + r.errors, 0), timeouts: results.reduce((sum, r) => sum + r.timeouts, 0), rounds: results.map((r) => r.rps), cpuRounds: cpuRuns, ofCeiling },
      ];
    }),
  );
}

/**
 * The statements one uncached request to `path` runs (its second: the first may warm lookups such
 * as the session's), replayed by pgbench at the same concurrency: the endpoint's database ceiling,
 * in pgbench's default protocol (each statement parsed and planned each time, as the issue measured
 * it) and prepared (plans kept per connection, as the API keeps its prepared reads' plans).
 */
async function databaseCeiling(capture, path, auth) {
  if (!capture) return null;
  const request = () => fetch(`http://127.0.0.1:${CAPTURE_PORT}${path}`, { headers: { ...auth, 'cache-control': 'no-cache' } }).then((r) => r.arrayBuffer());
  await request();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const from = existsSync(capture.file) ? statSync(capture.file).size : 0;
  await request();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const statements = capturedSince(capture.file, from);
  const options = { clients: args.connections, seconds: args.duration, cpu: os.cpus().length - 1 };
  const simple = await pgbenchCeiling(DATABASE_URL, statements, options);
  const prepared = await pgbenchCeiling(DATABASE_URL, statements, { ...options, mode: 'prepared' });
  return { ...simple, prepared, statements: statements.length };
}

async function standardRun() {
  const f = await fixtures();
  const captureFile = `${os.tmpdir()}/chopchop-sql-${process.pid}.jsonl`;
  const captureApi = process.env.BENCH_URL ? null : startCaptureApi(captureFile);
  if (captureApi) await waitFor(`http://127.0.0.1:${CAPTURE_PORT}/health/ready`);
  const capture = captureApi && { file: captureFile };
  try {
    return await measureScenarios(f, capture);
  } finally {
    captureApi?.kill('SIGTERM');
  }
}

async function measureScenarios(f, capture) {
  // Warm-up: let V8 optimise the hot paths (cached and uncached) before anything is measured.
  const [, warmPath] = scenarios(f)[0] ?? ['', `/api/v1/posts/${f.post}`];
  await load({ url: BASE + warmPath, duration: 5 });
  await load({ url: BASE + warmPath, duration: 3, headers: { 'accept-encoding': 'gzip, br' } });
  await load({ url: BASE + warmPath, duration: 3, headers: { 'cache-control': 'no-cache' } });
  const rows = [];
  for (const [name, path, auth = {}] of scenarios(f)) {
    const warm = await fetch(BASE + path, { headers: auth });
    if (!warm.ok) throw new Error(`${name}: ${warm.status} ${await warm.text()}`);
    const body = Buffer.from(await warm.arrayBuffer());
    await fetch(BASE + path, { headers: auth });
    const before = await cacheCounts();
    const bare = await startCeiling(body);
    let modes;
    try {
      modes = await cachedModes(BASE + path, auth, bare.url);
    } finally {
      bare.stop();
    }
    const { identity: cached, gzip, br, ceiling: top } = modes;
    const after = await cacheCounts();
    const route = Object.keys(after).find((k) => k.endsWith(':hit') && (after[k] ?? 0) - (before[k] ?? 0) > 0)?.split(':')[0];
    const hits = route ? after[`${route}:hit`] - (before[`${route}:hit`] ?? 0) : 0;
    const misses = route ? (after[`${route}:miss`] ?? 0) - (before[`${route}:miss`] ?? 0) : 0;
    // Its own uncached path warmed first (V8 optimises per call site), as the cached rounds warm theirs.
    await load({ url: BASE + path, headers: { ...auth, 'cache-control': 'no-cache' }, duration: 2 });
    const uncached = await load({ url: BASE + path, headers: { ...auth, 'cache-control': 'no-cache' } });
    const database = await databaseCeiling(capture, path, auth);
    rows.push({ name, path, bytes: body.length, cached: { ...cached, hitRatio: hits / Math.max(1, hits + misses) }, gzip, br, uncached, database, ceiling: top });
    process.stderr.write(`${name}: cached ${cached.rps}/s (gzip ${gzip.rps}/s, br ${br.rps}/s), uncached ${uncached.rps}/s (database ceiling ${database?.tps}/s), ceiling ${top.rps}/s\n`);
  }
  return rows;
}

const cpu = (m) => (m.cpuUs === null || m.cpuUs === undefined ? '–' : String(m.cpuUs));

/**
 * The signed-in cached list against the anonymous hit of the same URL, the two alternated for
 * `rounds` rounds: the table's rows are measured minutes apart, and this machine's drift between
 * them was larger than the few µs being compared (measured: 1.28× to 2.10× across runs).
 */
async function signedInAgainstAnonymous(f) {
  const url = `${BASE}/api/v1/posts?limit=20`;
  const runs = { anonymous: [], signedIn: [] };
  for (let round = 0; round < args.rounds; round += 1) {
    runs.anonymous.push(await load({ url }));
    runs.signedIn.push(await load({ url, headers: bearer(f.reader) }));
  }
  const ratios = runs.signedIn.map((run, i) => run.cpuUs / runs.anonymous[i].cpuUs);
  return { runs, ratios, ratio: median(ratios) };
}

/** The signed-in list against the anonymous one (`paired`), and each feed against the new-first list, from this run's rows. */
function comparisons(rows, paired) {
  const anonymous = rows.find((r) => r.name === 'posts new limit=20');
  const lines = [];
  if (paired && paired.runs.anonymous[0].cpuUs !== null) {
    const cpus = (list) => list.map((r) => r.cpuUs).join(', ');
    lines.push(
      `- Signed-in cached list ÷ anonymous cached hit (same URL, identity, alternated ${args.rounds}×): API CPU **${paired.ratio.toFixed(2)}×** (median; rounds ` +
        `${paired.ratios.map((r) => r.toFixed(2)).join(', ')}; µs/answer signed in ${cpus(paired.runs.signedIn)}, anonymous ${cpus(paired.runs.anonymous)}) (ceiling: 1.5×).`,
    );
  }
  for (const feed of rows.filter((r) => r.name.startsWith('feed'))) {
    if (!anonymous) break;
    lines.push(
      `- ${feed.name}: uncached p99 ${feed.uncached.p99} ms vs new-first list ${anonymous.uncached.p99} ms = ${(feed.uncached.p99 / anonymous.uncached.p99).toFixed(2)}× ` +
        `(ceiling: 2×); cached p99 ${feed.cached.p99} vs ${anonymous.cached.p99} ms.`,
    );
  }
  return lines.join('\n');
}

/** A run's errors, saying how many were wrk's own 2 s timeouts rather than answers. */
const errorsOf = (run) => (run.timeouts ? `${run.errors} (${run.timeouts} wrk timeouts)` : String(run.errors));

function table(rows, mixedRun, socialRun, paired) {
  const lines = [
    '| scenario | mode | req/s | p50 ms | p99 ms | API CPU µs/answer | errors | hit ratio | % of ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.name} (${(r.bytes / 1024).toFixed(1)} KB) | cached (median of ${args.rounds}) | ${r.cached.rps} | ${r.cached.p50} | ${r.cached.p99} | ${cpu(r.cached)} | ${errorsOf(r.cached)} | ${(r.cached.hitRatio * 100).toFixed(1)} % | ${(r.cached.ofCeiling * 100).toFixed(0)} % |`);
    for (const [label, m] of [['gzip', r.gzip], ['br', r.br]]) {
      lines.push(`| | cached, ${label} (${(m.wireBytes / 1024).toFixed(1)} KB on the wire) | ${m.rps} | ${m.p50} | ${m.p99} | ${cpu(m)} | ${errorsOf(m)} | – | ${(m.ofCeiling * 100).toFixed(0)} % (${((m.rps / r.cached.rps) * 100).toFixed(0)} % of identity hit) |`);
    }
    lines.push(`| | uncached | ${r.uncached.rps} | ${r.uncached.p50} | ${r.uncached.p99} | ${cpu(r.uncached)} | ${errorsOf(r.uncached)} | – | ${((r.uncached.rps / r.ceiling.rps) * 100).toFixed(0)} % |`);
    if (r.database) {
      lines.push(`| | database ceiling (pgbench: its ${r.database.statements} statements) | ${r.database.tps} | ${r.database.latencyMs} (avg) | – | – | – | – | uncached = **${((r.uncached.rps / r.database.tps) * 100).toFixed(0)} %** of it |`);
      const prepared = r.database.prepared;
      lines.push(`| | database ceiling, prepared (pgbench -M prepared) | ${prepared.tps} | ${prepared.latencyMs} (avg) | – | – | – | – | uncached = ${((r.uncached.rps / prepared.tps) * 100).toFixed(0)} % of it |`);
    }
    lines.push(`| | node:http ceiling (median of ${args.rounds}, interleaved with the cached rounds) | ${r.ceiling.rps} | ${r.ceiling.p50} | ${r.ceiling.p99} | – | ${errorsOf(r.ceiling)} | – | 100 % |`);
  }
  if (mixedRun) {
    const m = summary(mixedRun.result);
    lines.push(`| authenticated mixed (PATCH + GET own post + GET list), ${args.mixedDuration} s | mixed | ${m.rps} | ${m.p50} | ${m.p99} | – | ${m.errors} | stale reads: ${mixedRun.stale} of ${mixedRun.checked}${mixedRun.unpaired ? ` (${mixedRun.unpaired} mispaired, left out)` : ''} | – |`);
  }
  if (socialRun) {
    const m = summary(socialRun.result);
    lines.push(`| mixed social (like, save, follow + read back post, saved, profile, feed, list), ${args.mixedDuration} s | mixed | ${m.rps} | ${m.p50} | ${m.p99} | – | ${m.errors} | stale or foreign reads: ${socialRun.stale} of ${socialRun.checked} | – |`);
  }
  return `${lines.join('\n')}\n\n${comparisons(rows, paired)}`;
}

/** The plan of the feed's own SQL (from the compiled query builder) for a seeded cook: its indexes, and any sequential scan. */
async function explainFeed(cook) {
  const [{ id, following }] = await sql(`SELECT id, following_count AS following FROM users WHERE email = $1`, [`${cook}@bench.chopchop.test`]);
  const { sql: text, params } = buildPostListQuery({ sort: 'new', followedBy: id }, 21);
  const [row] = await sql(`EXPLAIN (FORMAT JSON) ${text}`, params);
  const nodes = [];
  const walk = (node) => {
    nodes.push(node);
    (node.Plans ?? []).forEach(walk);
  };
  walk(row['QUERY PLAN'][0].Plan);
  const indexes = [...new Set(nodes.map((n) => n['Index Name']).filter(Boolean))];
  const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
  return `${cook} (follows ${following}): ${indexes.join(', ')}${seqScans.length ? `; SEQUENTIAL SCAN of ${seqScans.join(', ')}` : '; no sequential scan'}`;
}

async function scaleRun() {
  const sizes = args.sizes;
  const picked = ['posts new limit=20', 'posts new limit=100', 'posts popular limit=100', 'filtered', 'full-text search', 'feed'];
  const out = [];
  const plans = [];
  for (const size of sizes) {
    // One user in ten posts (100 000 users at a million posts): the heavy follower follows them all.
    await seed(DATABASE_URL, { users: Math.max(1000, size / 10), posts: size, likes: 5, comments: 2, follows: 20, saves: 5, seed: 42, reset: true });
    const f = await fixtures();
    plans.push(`EXPLAIN of the feed at ${size.toLocaleString('en')} posts — ${await explainFeed('cook1')}; ${await explainFeed('cook2')}.`);
    // --repeat N: N rounds, the scenarios interleaved within each, reported as medians.
    for (let round = 0; round < args.repeat; round += 1) {
      for (const [name, path, auth = {}] of scenarios(f).filter(([n]) => picked.some((p) => n.includes(p)) && !n.includes('signed in'))) {
        const uncached = await load({ url: BASE + path, headers: { ...auth, 'cache-control': 'no-cache' } });
        out.push({ size, name, round, ...uncached });
        process.stderr.write(`${size} posts, ${name}: p50 ${uncached.p50} ms, p99 ${uncached.p99} ms\n`);
      }
    }
  }
  const at = (size, name) => {
    const runs = out.filter((o) => o.size === size && o.name === name);
    return { p50: median(runs.map((o) => o.p50)), p99: median(runs.map((o) => o.p99)) };
  };
  const [first, last] = [sizes[0], sizes.at(-1)];
  const header = sizes.map((size, i) => `${size.toLocaleString('en')} posts${i === 0 ? ' p50 / p99 ms' : ''}`);
  const lines = [`| scenario (uncached) | ${header.join(' | ')} | p99 ${last.toLocaleString('en')} ÷ ${first.toLocaleString('en')} |`, `|---|${sizes.map(() => '---:|').join('')}---:|`];
  for (const name of [...new Set(out.map((o) => o.name))]) {
    lines.push(`| ${name} | ${sizes.map((size) => `${at(size, name).p50} / ${at(size, name).p99}`).join(' | ')} | ${(at(last, name).p99 / at(first, name).p99).toFixed(2)} |`);
  }
  for (const feed of [...new Set(out.map((o) => o.name))].filter((name) => name.startsWith('feed'))) {
    const ratios = sizes.map((size) => `${size.toLocaleString('en')}: ${(at(size, feed).p99 / at(size, 'posts new limit=20').p99).toFixed(2)}×`);
    lines.push('', `${feed}: p99 ÷ new-first list p99 at ${ratios.join(', ')} (ceiling: 2×).`);
  }
  for (const plan of plans) lines.push('', plan);
  return { out, markdown: lines.join('\n') };
}

async function main() {
  if (spawnSync('wrk', ['--version']).error) throw new Error('the benchmark needs wrk: apt-get install wrk');
  const external = Boolean(process.env.BENCH_URL);
  if (!external) await ensureDatabase();
  // --instances: nginx takes the API's port in front of instances of its own (bench/scale-out.mjs).
  const api = external || args.instances ? null : startApi();
  apiPid = api?.pid ?? null; // taskset execs node: same pid
  try {
    if (api) await waitFor(`${BASE}/health`);
    if (!external && (await sql('SELECT count(*)::int AS n FROM posts'))[0].n === 0) {
      await seed(DATABASE_URL, { users: 2500, posts: 100_000, likes: 5, comments: 2, follows: 20, saves: 5, seed: 42, reset: false });
    }
    const started = machineTicks();
    const described = `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; wrk, ${args.connections} connections, ${args.duration} s a run, cached modes interleaved ${args.rounds}×`;
    let report;
    let raw;
    const ctx = { args, base: BASE, port: PORT, authLimit: 30, password: BENCH_PASSWORD, benchEnv, waitFor, load, fixtures, mixed, summary };
    if (args.instances) {
      const run = await scaleOutRun(ctx);
      report = run.markdown;
      raw = run;
    } else if (args.storm) {
      // 16 accounts, each logged in once first: that login rehashes its password at BCRYPT_ROUNDS=12.
      const accounts = Array.from({ length: 16 }, (_, i) => `cook${i + 4}@bench.chopchop.test`);
      for (const email of accounts) await login(email);
      const run = await stormRun(ctx, accounts);
      report = run.markdown;
      raw = run.runs;
    } else if (args.scale) {
      const { out, markdown } = await scaleRun();
      report = markdown;
      raw = out;
    } else if (args.scenarios?.includes('upload')) {
      report = await uploadRun();
      raw = report;
    } else {
      const rows = await standardRun();
      const paired = rows.some((r) => r.name.includes('signed in')) ? await signedInAgainstAnonymous(await fixtures()) : null;
      const mixedRun = args.mixedDuration > 0 ? await mixed() : null;
      const socialRun = args.mixedDuration > 0 ? await mixedSocial() : null;
      report = table(rows, mixedRun, socialRun, paired);
      raw = {
        rows,
        paired,
        mixed: mixedRun && { ...summary(mixedRun.result), stale: mixedRun.stale, checked: mixedRun.checked },
        social: socialRun && { ...summary(socialRun.result), stale: socialRun.stale, checked: socialRun.checked, byRead: socialRun.byRead },
      };
    }
    // Steal: CPU time the hypervisor gave other guests while this run wanted it. Above a few per cent
    // the run's req/s are depressed unevenly; its ratios of interleaved rounds suffer least.
    const header = `${described}; CPU steal during the run: ${stealBetween(started, machineTicks())}`;
    console.log(`\n${header}\n\n${report}\n`);
    mkdirSync('bench/results', { recursive: true });
    const kind = args.instances ? 'scale-out' : args.storm ? 'storm' : args.scale ? 'scale' : 'bench';
    writeFileSync(`bench/results/${kind}-${Date.now()}.json`, JSON.stringify({ header, args, raw }, null, 2));
  } finally {
    api?.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
