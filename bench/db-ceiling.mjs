// The database ceiling of an uncached endpoint: pgbench replaying the very statements the endpoint
// sent (captured by bench/capture-sql.cjs), at the benchmark's concurrency, on the load generator's CPU.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Statements the app sent since `from` (a byte offset of the capture file), minus the job queue's own. */
export function capturedSince(file, from) {
  return readFileSync(file, 'utf8')
    .slice(from)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter(({ text }) => !/pgboss|^SELECT 1$|^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(text));
}

/** A parameter as an SQL literal (arrays as array literals); the statement's own casts still apply. */
function literal(value) {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return literal(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * The statement with its parameters written in ($10 before $1), on one line for pgbench. A colon in
 * a string literal is spelled \x3a (the same value): pgbench's prepared mode would take `:MI` of a
 * date format for one of its variables.
 */
export function inline({ text, params }) {
  let sql = text;
  for (let i = params.length; i >= 1; i -= 1) sql = sql.replaceAll(`$${i}`, literal(params[i - 1]));
  sql = sql.replace(/'(?:[^']|'')*'/g, (quoted) => (quoted.includes(':') ? `E${quoted.replaceAll('\\', '\\\\').replaceAll(':', '\\x3a')}` : quoted));
  return `${sql.replace(/\s+/g, ' ').trim()};`;
}

/**
 * pgbench running `statements` as one transaction script: { tps, latencyMs }. `mode`: pgbench's
 * query protocol; `simple` parses and plans every statement each time, `prepared` once a connection.
 */
export async function pgbenchCeiling(databaseUrl, statements, { clients, seconds, cpu, mode = 'simple' }) {
  const script = `/tmp/chopchop-ceiling-${process.pid}-${Date.now()}.sql`;
  writeFileSync(script, `${statements.map(inline).join('\n')}\n`);
  const url = new URL(databaseUrl);
  const pgbenchArgs = ['-n', '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), '-c', String(clients), '-j', '1', '-T', String(seconds), '-M', mode, '-f', script, url.pathname.slice(1)];
  const out = await new Promise((resolve, reject) =>
    execFile('taskset', ['-c', String(cpu), 'pgbench', ...pgbenchArgs], { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } }, (error, stdout, stderr) =>
      error ? reject(new Error(`pgbench: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
  return { tps: Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0)), latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? 0) };
}
