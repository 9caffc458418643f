import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isoMicros, type KeysetPosition } from '../common/pagination/cursor';
import { UserEntity } from './entities/user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
}

export type UserRow = UserEntity & { cursorKey: string };

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(UserEntity);
  }

  async insert(manager: EntityManager, user: NewUser): Promise<UserEntity> {
    const { identifiers } = await this.repo(manager).insert({ ...user, isActive: false });
    return this.repo(manager).findOneByOrFail({ id: identifiers[0].id as string });
  }

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findActiveById(id: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ id, isActive: true });
  }

  /** Case-insensitive, through the lower(email) unique index. */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo().createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async activate(manager: EntityManager, id: string): Promise<UserEntity> {
    await this.repo(manager).update({ id }, { isActive: true });
    return this.repo(manager).findOneByOrFail({ id });
  }

  async updateProfile(id: string, changes: Partial<Pick<UserEntity, 'firstName' | 'lastName' | 'bio'>>): Promise<UserEntity> {
    if (Object.keys(changes).length > 0) await this.repo().update({ id }, changes);
    return this.repo().findOneByOrFail({ id });
  }

  async updatePasswordHash(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await this.repo(manager).update({ id }, { passwordHash });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  /** Active users, newest first, by keyset (users_active_created_idx) or, for simple clients, offset. */
  async findActivePage(limit: number, after?: KeysetPosition, offset?: number): Promise<UserRow[]> {
    const query = this.repo()
      .createQueryBuilder('u')
      .addSelect(isoMicros('u.created_at'), 'cursor_key')
      .where('u.is_active')
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(limit);
    if (after) query.andWhere('(u.created_at, u.id) < (:key::timestamptz, :id::uuid)', { key: after.key, id: after.id });
    if (offset) query.offset(offset);
    const { entities, raw } = await query.getRawAndEntities<{ cursor_key: string }>();
    return entities.map((entity, i) => Object.assign(entity, { cursorKey: raw[i].cursor_key }));
  }
}
