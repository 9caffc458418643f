/* Migration commands over the shared DataSource (npm run migration:run|revert|generate). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from './data-source';
import { resolveDatabaseUrl } from './database-url';
import { pendingSchemaChanges, type SchemaChange } from './schema-drift';

async function main(command: string | undefined, name: string | undefined): Promise<void> {
  const { url, embedded } = await resolveDatabaseUrl(AppConfig.fromEnv());
  const dataSource = await createDataSource(url).initialize();
  try {
    await runCommand(dataSource, command, name);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function runCommand(dataSource: DataSource, command?: string, name?: string): Promise<void> {
  switch (command) {
    case 'run': {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'no pending migrations');
      return;
    }
    case 'revert':
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
      return;
    case 'generate':
      return generate(dataSource, name);
    default:
      throw new Error('usage: migration-cli run | revert | generate <Name>');
  }
}

async function generate(dataSource: DataSource, name?: string): Promise<void> {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('generate needs a PascalCase name');
  await dataSource.runMigrations({ transaction: 'each' });
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) {
    console.log('entities and migrations agree: nothing to generate');
    return;
  }
  const timestamp = Date.now();
  const indent = (changes: SchemaChange[]): string =>
    changes
      .map(({ query, parameters }) => {
        const args = parameters.length > 0 ? `, ${JSON.stringify(parameters)}` : '';
        return `    await queryRunner.query(${JSON.stringify(query)}${args});`;
      })
      .join('\n');
  const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${indent(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${indent(down)}
  }
}
`;
  const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(file, source);
  console.log(`wrote ${file}: review it before committing`);
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
