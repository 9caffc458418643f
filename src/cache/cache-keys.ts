import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump when a cached response shape changes without a package version change. */
export const RESPONSE_SCHEMA_VERSION = 2;

// The app version is part of every key, so a deploy never serves responses shaped by the previous one.
const APP_VERSION = (JSON.parse(readFileSync(findPackageJson(__dirname), 'utf8')) as { version: string }).version;

/** The nearest package.json above `dir`: src/cache under Jest, dist/src/cache when compiled. */
function findPackageJson(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) throw new Error(`no package.json above ${dir}`);
  }
}

export const RESPONSE_NAMESPACE = `resp:${APP_VERSION}:${RESPONSE_SCHEMA_VERSION}`;

export interface ResponseKeyParts {
  /** Controller class and method, e.g. PostsController.list */
  handler: string;
  params: Record<string, unknown>;
  /** The query after validation and defaults (so ?limit=20 and no limit agree). */
  query: Record<string, unknown>;
  /** Set only for answers that depend on who asks. */
  callerId?: string;
}

/** The one place response cache keys are built: order-insensitive, defaults applied, caller-scoped when needed. */
export function responseKey(parts: ResponseKeyParts): string {
  return responseKeyWith(parts, canonical(parts.query));
}

/** responseKey with the query already in canonical form (the response cache keeps it per query string). */
export function responseKeyWith({ handler, params, callerId }: Omit<ResponseKeyParts, 'query'>, canonicalQuery: string): string {
  const scope = callerId ? `caller=${callerId}` : 'public';
  return `${RESPONSE_NAMESPACE}:${handler}:${scope}:${canonical(params)}:${canonicalQuery}`;
}

/** Sorted keys, no undefined values, arrays kept in order: equal inputs give equal strings. */
export function canonical(value: Record<string, unknown>): string {
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined && value[key] !== null)
    .sort()
    .map((key) => [key, value[key]]);
  return encodeURIComponent(JSON.stringify(entries));
}

export const generationKey = (tag: string): string => `gen:${tag}`;

/** Where one caller's viewer flags for a cached response are kept. */
export const viewerFlagsKey = (responseKey: string, callerId: string): string => `${responseKey}:viewer=${callerId}`;
