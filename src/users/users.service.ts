import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../auth/sessions/sessions.service';
import { SessionsService } from '../auth/sessions/sessions.service';
import { SessionsRevoked } from '../auth/sessions/sessions.events';
import { DomainEvents } from '../common/events/domain-events';
import { Vanished } from '../common/errors/vanished';
import type { RawJson } from '../common/json/raw-json';
import { decodeCursor } from '../common/pagination/cursor';
import { type Page, pageOf } from '../common/pagination/page.dto';
import { isUniqueViolation } from '../database/pg-errors';
import { inTransaction } from '../database/transaction';
import type { ListUsersQueryDto } from './dto/list-users.query';
import type { UpdateProfileDto } from './dto/user-input.dto';
import { type PublicUserDto, toPublicUserDto, toPublicUserItem, toUserDto, type UserDto } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { ProfileChanged, UserDeleted } from './users.events';
import { type NewUser, type UserRow, UsersRepository } from './users.repository';

/** What login learns about an account: never its hash. */
export interface AccountState {
  id: string;
  isActive: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Hashes the password (slow by design) before any transaction opens. */
  async newUser(input: Omit<NewUser, 'passwordHash'> & { password: string }): Promise<NewUser> {
    const { email, firstName, lastName } = input;
    return { email, firstName, lastName, passwordHash: await this.passwords.hash(input.password) };
  }

  /** Creates an inactive account in the caller's transaction; 409 when the e-mail is taken in any case. */
  async register(manager: EntityManager, user: NewUser): Promise<UserRow> {
    try {
      return await this.users.insert(manager, user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException('An account with this e-mail address already exists.');
      throw error;
    }
  }

  findByEmail(email: string, manager?: EntityManager): Promise<UserRow | null> {
    return this.users.findByEmail(email, manager);
  }

  /**
   * The account these credentials open, or null; as slow for an unknown e-mail as for a wrong
   * password. A hash stored under an older scheme is replaced now that the password is known.
   */
  async checkCredentials(email: string, password: string): Promise<AccountState | null> {
    const credentials = await this.users.findCredentialsByEmail(email);
    if (!credentials) return this.passwords.matchesNothing(password).then(() => null);
    const { matches, rehash } = await this.passwords.verify(password, credentials.passwordHash);
    if (!matches) return null;
    if (rehash) await this.users.updatePasswordHash(credentials.id, await this.passwords.hash(password));
    return { id: credentials.id, isActive: credentials.isActive };
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    const credentials = await this.users.findCredentialsById(userId);
    return !!credentials && (await this.passwords.verify(password, credentials.passwordHash)).matches;
  }

  activate(manager: EntityManager, id: string): Promise<UserRow | null> {
    return this.users.activate(manager, id);
  }

  /** False when the account no longer exists. */
  async setPassword(manager: EntityManager, id: string, password: string): Promise<boolean> {
    return this.users.updatePasswordHash(id, await this.passwords.hash(password), manager);
  }

  async getMe(caller: Caller): Promise<UserDto> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw Vanished.account();
    return toUserDto(user);
  }

  async updateMe(caller: Caller, changes: UpdateProfileDto): Promise<UserDto> {
    const updated = await this.users.updateProfile(caller.userId, changes);
    if (!updated) throw Vanished.account();
    const renamed = changes.firstName !== undefined || changes.lastName !== undefined;
    await this.events.publish(new ProfileChanged(caller.userId, renamed));
    return toUserDto(updated);
  }

  /** Deletes the account after checking its password; the database cascades to everything it owns. */
  async deleteMe(caller: Caller, password: string): Promise<void> {
    if (!(await this.checkPassword(caller.userId, password))) {
      throw new ForbiddenException('The password is wrong.');
    }
    const revoked = await inTransaction(this.dataSource, async (manager) => {
      const sessionIds = await this.sessions.revokeAllOfUser(caller.userId, null, manager);
      await this.users.delete(manager, caller.userId);
      return sessionIds;
    });
    await this.events.publish(new SessionsRevoked(revoked), new UserDeleted(caller.userId));
  }

  async getPublic(id: string): Promise<PublicUserDto> {
    const user = await this.users.findActiveById(id);
    if (!user) throw new NotFoundException('No such user.');
    return toPublicUserDto(user);
  }

  /** Active users among these ids, in this order (the ones gone meanwhile left out). */
  async getPublicMany(ids: string[]): Promise<PublicUserDto[]> {
    return (await this.users.findActiveByIds(ids)).map(toPublicUserDto);
  }

  /**
   * Runs `work` in a transaction holding both accounts' rows, locked in id order (the order every
   * writer of two accounts uses); `accounts` says which exist and whether each is active.
   */
  withLockedPair<T>(a: string, b: string, work: (manager: EntityManager, accounts: Map<string, boolean>) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, async (manager) => work(manager, await this.users.lockInOrder(manager, [a, b])));
  }

  followersCount(manager: EntityManager, id: string): Promise<number> {
    return this.users.followersCount(manager, id);
  }

  async list(query: ListUsersQueryDto): Promise<Page<RawJson<PublicUserDto>>> {
    if (query.cursor && query.offset !== undefined) throw new BadRequestException('Pass either cursor or offset, not both.');
    const after = query.cursor ? decodeCursor(query.cursor, 'timestamp') : undefined;
    const rows = await this.users.findActivePage(query.limit + 1, after, query.offset);
    return pageOf(rows, query.limit, toPublicUserItem, (row) => ({ key: row.cursorKey, id: row.id }));
  }
}
