// TypeScript types for a client, from an OpenAPI document (openapi-typescript).
// Usage: node scripts/generate-client-types.mjs openapi.json out.d.ts
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/generate-client-types.mjs <openapi.json> <out.d.ts>');
  process.exit(2);
}
writeFileSync(output, astToString(await openapiTS(JSON.parse(readFileSync(input, 'utf8')))));
