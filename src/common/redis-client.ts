import { Logger } from '@nestjs/common';
import { createClient } from '@redis/client';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A node-redis client for an accelerator, not a dependency: commands fail at once while Redis is
 * away (no offline queue that would make every call hang), reconnection is retried in the
 * background, and the outage and the return are logged once each. Connecting is not awaited, so
 * the service boots and serves while Redis is unreachable.
 */
export function createResilientRedisClient(
  url: string,
  purpose: string,
  { onReconnect = () => undefined, name }: { onReconnect?: () => void; name?: string } = {},
): RedisClient {
  const logger = new Logger(purpose);
  const client = createClient({
    url,
    name, // CLIENT SETNAME: how an operator (or a test) finds this connection in CLIENT LIST
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger.warn(`Redis unavailable (${error.message}); serving without it until it returns`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) {
      logger.log('Redis is back');
      onReconnect();
    }
    reported = false;
  });
  client.connect().catch(() => undefined);
  return client;
}

export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.isOpen) await client.quit().catch(() => client.disconnect());
}
