// Lints an OpenAPI document with Redocly's `recommended` ruleset and Spectral's `spectral:oas`,
// each with the few rules turned off in .redocly.yaml / .spectral.yaml (each with its reason).
// Usage: node scripts/lint-openapi.mjs openapi.json  →  prints {"redocly":[…],"spectral":[…]}, exit 1 on any problem.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/lint-openapi.mjs <openapi.json>');
  process.exit(2);
}
const source = readFileSync(file, 'utf8');

/** `rule: off  # reason` lines of a small YAML file: the rules a project turns off, with why. */
function turnedOff(path) {
  return Object.fromEntries(
    readFileSync(join(root, path), 'utf8')
      .split('\n')
      .map((line) => /^\s{2,}([\w-]+):\s*off\b/.exec(line))
      .filter(Boolean)
      .map((match) => [match[1], 'off']),
  );
}

const redoclyConfig = await createConfig({ extends: ['recommended'], rules: turnedOff('.redocly.yaml') });
const redocly = (await lintFromString({ source, absoluteRef: file, config: redoclyConfig })).map((p) => ({
  rule: p.ruleId,
  severity: p.severity,
  message: p.message,
  where: p.location?.[0]?.pointer,
}));

const spectral = new spectralCore.Spectral();
spectral.setRuleset({ extends: [[spectralRulesets.oas, 'recommended']], rules: turnedOff('.spectral.yaml') });
const spectralProblems = (await spectral.run(new spectralCore.Document(source, spectralParsers.Json, file))).map((p) => ({
  rule: p.code,
  severity: ['error', 'warning', 'info', 'hint'][p.severity],
  message: p.message,
  where: '#/' + p.path.join('/'),
}));

console.log(JSON.stringify({ redocly, spectral: spectralProblems }, null, 2));
process.exit(redocly.length + spectralProblems.length > 0 ? 1 : 0);
