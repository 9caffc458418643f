import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { DatabaseServer } from './database-server';
import { runPendingMigrations } from './migrations-runner';

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/** Applies pending migrations at boot unless MIGRATIONS_RUN=off. */
@Injectable()
class MigrateOnBoot implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.runMigrations) await runPendingMigrations(this.dataSource);
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer, AppConfig],
      useFactory: async (server: DatabaseServer, config: AppConfig) => dataSourceOptions(await server.connectionUrl(), config.database.poolMax),
      dataSourceFactory: (options) => new DataSource(options!).initialize(),
    }),
  ],
  providers: [MigrateOnBoot],
})
export class DatabaseModule {}
