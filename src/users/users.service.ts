import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { Caller } from '../auth/sessions/sessions.service';
import { SessionsService } from '../auth/sessions/sessions.service';
import { CacheTags } from '../cache/cache-tags';
import { ResponseCacheService } from '../cache/response-cache.service';
import { decodeCursor } from '../common/pagination/cursor';
import { type Page, pageOf } from '../common/pagination/page.dto';
import type { ListUsersQueryDto } from './dto/list-users.query';
import type { UpdateProfileDto } from './dto/user-input.dto';
import { type PublicUserDto, toPublicUserDto, toUserDto, type UserDto } from './dto/user.dto';
import type { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { type NewUser, UsersRepository } from './users.repository';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly responses: ResponseCacheService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Hashes the password (slow by design) before any transaction opens. */
  async newUser(input: Omit<NewUser, 'passwordHash'> & { password: string }): Promise<NewUser> {
    const { email, firstName, lastName } = input;
    return { email, firstName, lastName, passwordHash: await this.passwords.hash(input.password) };
  }

  /** Creates an inactive account in the caller's transaction; 409 when the e-mail is taken in any case. */
  async register(manager: EntityManager, user: NewUser): Promise<UserEntity> {
    try {
      return await this.users.insert(manager, user);
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictException('An account with this e-mail address already exists.');
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(email);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** The account these credentials open, or null; as slow for an unknown e-mail as for a wrong password. */
  async checkCredentials(email: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.findByEmail(email);
    if (!user) return this.passwords.matchesNothing(password).then(() => null);
    return (await this.passwords.matches(password, user.passwordHash)) ? user : null;
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findById(userId);
    return !!user && this.passwords.matches(password, user.passwordHash);
  }

  activate(manager: EntityManager, id: string): Promise<UserEntity> {
    return this.users.activate(manager, id);
  }

  async setPassword(manager: EntityManager, id: string, password: string): Promise<void> {
    await this.users.updatePasswordHash(manager, id, await this.passwords.hash(password));
  }

  async getMe(caller: Caller): Promise<UserDto> {
    return toUserDto(await this.requireUser(caller.userId));
  }

  async updateMe(caller: Caller, changes: UpdateProfileDto): Promise<UserDto> {
    await this.requireUser(caller.userId);
    const updated = await this.users.updateProfile(caller.userId, changes);
    const renamed = changes.firstName !== undefined || changes.lastName !== undefined;
    await this.responses.invalidate(CacheTags.users, CacheTags.user(caller.userId), ...(renamed ? [CacheTags.authors] : []));
    return toUserDto(updated);
  }

  /** Deletes the account after checking its password; the database cascades to everything it owns. */
  async deleteMe(caller: Caller, password: string): Promise<void> {
    if (!(await this.checkPassword(caller.userId, password))) {
      throw new ForbiddenException('The password is wrong.');
    }
    const revoked = await this.dataSource.transaction(async (manager) => {
      const sessionIds = await this.sessions.revokeAllOfUser(caller.userId, null, manager);
      await this.users.delete(manager, caller.userId);
      return sessionIds;
    });
    await this.sessions.forget(revoked);
    // Their posts, likes and comments went too: every list, count and name they showed in.
    await this.responses.invalidate(CacheTags.users, CacheTags.user(caller.userId), CacheTags.authors, CacheTags.posts, CacheTags.ingredients);
  }

  async getPublic(id: string): Promise<PublicUserDto> {
    const user = await this.users.findActiveById(id);
    if (!user) throw new NotFoundException('No such user.');
    return toPublicUserDto(user);
  }

  async list(query: ListUsersQueryDto): Promise<Page<PublicUserDto>> {
    if (query.cursor && query.offset !== undefined) throw new BadRequestException('Pass either cursor or offset, not both.');
    const after = query.cursor ? decodeCursor(query.cursor, 'timestamp') : undefined;
    const rows = await this.users.findActivePage(query.limit + 1, after, query.offset);
    return pageOf(rows, query.limit, toPublicUserDto, (row) => ({ key: row.cursorKey, id: row.id }));
  }

  private async requireUser(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException('No such user.');
    return user;
  }
}
