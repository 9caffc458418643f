import type { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-postgres';

/** DATABASE_URL when set; otherwise starts the embedded server and returns its URL. */
export async function resolveDatabaseUrl(
  config: AppConfig,
): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.database.url) return { url: config.database.url };
  const embedded = new EmbeddedDatabase(config.database.embeddedDir);
  return { url: await embedded.start(), embedded };
}
