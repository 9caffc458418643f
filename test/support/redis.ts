import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const required = process.env.REQUIRE_REDIS === '1';

/**
 * `describe` when Redis is configured (REDIS_URL), else a loud skip — or a failure when
 * REQUIRE_REDIS=1, so CI cannot pass by quietly skipping the Redis tests.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (process.env.REDIS_URL) return describe(name, body);
  if (required) {
    return describe(name, () => it('needs REDIS_URL (REQUIRE_REDIS=1)', () => {
      throw new Error('REQUIRE_REDIS=1 but REDIS_URL is unset');
    }));
  }
  process.stderr.write(`\n*** SKIPPED "${name}": set REDIS_URL to run the Redis tests (REQUIRE_REDIS=1 makes this a failure) ***\n\n`);
  describe.skip(name, body);
}

/** Like describeWithRedis, for tests that start a redis-server of their own. */
export function describeWithRedisServer(name: string, body: () => void): void {
  const available = spawnSync('redis-server', ['--version']).status === 0;
  if (available) return describe(name, body);
  if (required) {
    return describe(name, () => it('needs the redis-server binary (REQUIRE_REDIS=1)', () => {
      throw new Error('REQUIRE_REDIS=1 but redis-server is not installed');
    }));
  }
  process.stderr.write(`\n*** SKIPPED "${name}": install redis-server to run it ***\n\n`);
  describe.skip(name, body);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A throwaway redis-server on a given port, which the test can stop and start again. */
export class RedisServer {
  private process?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (spawnSync('redis-cli', ['-p', String(this.port), 'ping']).stdout?.toString().trim() !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Blocks the server for `seconds` (DEBUG SLEEP). Resolves `asleep` once a PING goes unanswered,
   * and `awake` when the server answers again.
   */
  async sleep(seconds: number): Promise<{ awake: Promise<void> }> {
    const run = (args: string[]) => new Promise<number | null>((resolve) => spawn('redis-cli', ['-p', String(this.port), ...args], { stdio: 'ignore' }).once('exit', resolve));
    const awake = run(['DEBUG', 'SLEEP', String(seconds)]).then(() => undefined);
    // `timeout` ends a PING that the sleeping server does not answer.
    const answers = () => new Promise<boolean>((resolve) => spawn('timeout', ['0.2', 'redis-cli', '-p', String(this.port), 'PING'], { stdio: 'ignore' }).once('exit', (code) => resolve(code === 0)));
    const deadline = Date.now() + 5000;
    while (await answers()) {
      if (Date.now() > deadline) throw new Error('redis-server did not go to sleep (DEBUG SLEEP refused?)');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { awake };
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
