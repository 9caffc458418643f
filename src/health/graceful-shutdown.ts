import { type INestApplicationContext, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { Lifecycle } from './lifecycle';

const logger = new Logger('Shutdown');

/**
 * Takes the API out of service without dropping a request: /health/ready turns 503 (and answers
 * say `Connection: close`, so keep-alive clients and load balancers reconnect elsewhere) while
 * requests are still served for `delayMs`; then the server stops accepting connections, requests
 * in flight finish (up to SHUTDOWN_GRACE_MS, then their connections are closed), and Nest's
 * shutdown hooks stop the workers (the job in hand finishes) and close the pools.
 */
export async function shutDownGracefully(app: NestFastifyApplication, reason: string, delayMs: number): Promise<void> {
  const { graceMs } = app.get(AppConfig).shutdown;
  app.get(Lifecycle).drain();
  logger.log(`${reason}: draining (ready answers 503); closing the listener in ${delayMs} ms`);
  await sleep(delayMs);
  const server = app.getHttpServer() as Server;
  const overtime = setTimeout(() => {
    logger.warn(`requests still in flight after ${graceMs} ms: closing their connections`);
    server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(overtime);
  }
  logger.log('stopped');
}

/**
 * SIGTERM (an orchestrator, a deploy) drains for SHUTDOWN_DELAY_MS first; SIGINT (Ctrl-C) stops at
 * once. Either way the process exits 0 once everything is closed, 1 if closing failed.
 */
export function stopOnSignals(stop: (reason: string, delayMs: number) => Promise<void>, config: AppConfig): void {
  let stopping = false;
  for (const [signal, delayMs] of [['SIGTERM', config.shutdown.delayMs], ['SIGINT', 0]] as const) {
    // `on`, not `once`: signal-exit (loaded by dependencies) re-raises a signal that no other
    // listener is left to handle, which would kill the process mid-drain with code 143.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal, delayMs).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

/** The worker process: no listener to drain; the job in hand finishes (up to SHUTDOWN_GRACE_MS), then the pools close. */
export async function stopWorker(app: INestApplicationContext, reason: string): Promise<void> {
  logger.log(`${reason}: finishing the job in hand, then stopping`);
  await app.close();
  logger.log('stopped');
}
