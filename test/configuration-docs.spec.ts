import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Environment } from '../src/config/environment';

/** The README table, .env.example and the schema the code validates must name the same variables. */
describe('configuration documentation', () => {
  const root = join(__dirname, '..');
  const inCode = Object.keys(new Environment()).sort();

  it('.env.example lists every variable the code reads, and no other', () => {
    const text = readFileSync(join(root, '.env.example'), 'utf8');
    const listed = [...text.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(inCode);
  });

  it('every variable in .env.example has a comment above it', () => {
    const lines = readFileSync(join(root, '.env.example'), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z0-9_]+=/.test(line)) expect(lines[i - 1]).toMatch(/^# /);
    });
  });

  it('the README configuration table lists the same variables', () => {
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    const section = text.split('## Configure')[1].split('\n## ')[0];
    const listed = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(inCode);
  });
});
