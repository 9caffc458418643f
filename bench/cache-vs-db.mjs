// Cached vs uncached answers of the same URLs, measured in one run.
// Usage: npm run bench:cache   (env: BENCH_DATABASE_URL, REDIS_URL, BENCH_SECONDS, BENCH_CONNECTIONS)
// The server runs on CPU 0 and this load generator on CPU 1 (taskset), so they do not share a core.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chopchop_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PORT = 3999;
const BASE = `http://127.0.0.1:${PORT}`;

async function ensureDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

async function seedIfEmpty() {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM posts');
  if (rows[0].n === 0) {
    console.error('seeding 2 000 users, 20 000 posts, 300 ingredients …');
    await client.query(`
      INSERT INTO users (email, password_hash, first_name, last_name, bio, is_active, created_at)
      SELECT 'bench' || g || '@example.com', 'x', 'Cook' || g, 'Bench', 'Bio of cook ' || g, true, now() - g * interval '1 minute'
        FROM generate_series(1, 2000) g;
      INSERT INTO ingredients (name) SELECT 'ingredient ' || g FROM generate_series(1, 300) g;
      INSERT INTO posts (author_id, title, body, complexity, cooking_time_minutes, servings, created_at)
      SELECT (u.ids)[1 + g % 2000], 'Recipe number ' || g, repeat('Chop, stir and simmer gently. ', 16),
             (ARRAY['easy','medium','hard'])[1 + g % 3]::post_complexity, 10 + g % 50, 1 + g % 6, now() - g * interval '1 second'
        FROM generate_series(1, 20000) g, (SELECT array_agg(id) AS ids FROM users) u;
      INSERT INTO post_ingredients (post_id, ingredient_id, position, quantity)
      SELECT p.id, 1 + (p.n * 7 + k * 13) % 300, k, k || '00 g'
        FROM (SELECT id, row_number() OVER () AS n FROM posts) p, generate_series(0, 7) k
      ON CONFLICT DO NOTHING;
      UPDATE posts SET likes = (abs(hashtext(id::text)) % 500);
      ANALYZE;`);
  }
  const post = (await client.query('SELECT id FROM posts ORDER BY created_at DESC LIMIT 1')).rows[0].id;
  await client.end();
  return post;
}

function startServer() {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(PORT),
    DATABASE_URL,
    REDIS_URL,
    CACHE_BYPASS: 'on',
    CACHE_TTL: '300',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  };
  const server = spawn('taskset', ['-c', '0', 'node', 'dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return server;
}

async function waitForHealth() {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not yet up
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not become healthy');
}

function run(path, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url: BASE + path, connections: CONNECTIONS, duration: SECONDS, headers }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function main() {
  await ensureDatabase();
  const server = startServer();
  try {
    await waitForHealth();
    const post = await seedIfEmpty();
    const scenarios = [
      ['post detail', `/api/v1/posts/${post}`],
      ['posts, new, limit=100', '/api/v1/posts?limit=100'],
      ['posts, popular, limit=100', '/api/v1/posts?sort=popular&limit=100'],
      ['users, limit=100', '/api/v1/users?limit=100'],
    ];
    const results = [];
    for (const [name, path] of scenarios) {
      await fetch(BASE + path); // warm the entry
      const cached = await run(path, {});
      const uncached = await run(path, { 'cache-control': 'no-cache' });
      results.push({ name, path, cached: summary(cached), uncached: summary(uncached) });
    }
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s per run; server on CPU 0, load on CPU 1\n`);
    console.log('| scenario | cached req/s | cached p50 / p99 ms | uncached req/s | uncached p50 / p99 ms | cached ÷ uncached | errors |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(`| ${r.name} | ${r.cached.rps} | ${r.cached.p50} / ${r.cached.p99} | ${r.uncached.rps} | ${r.uncached.p50} / ${r.uncached.p99} | ${(r.cached.rps / r.uncached.rps).toFixed(1)}× | ${r.cached.errors + r.uncached.errors} |`);
    }
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/cache-vs-db-${Date.now()}.json`, JSON.stringify(results, null, 2));
  } finally {
    server.kill('SIGTERM');
  }
}

function summary(result) {
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
