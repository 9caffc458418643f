import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcrypt';
import { AppConfig } from '../config/app-config';

/** bcrypt with BCRYPT_ROUNDS; `matchesNothing` spends the same time when there is no account to check. */
@Injectable()
export class PasswordHasher {
  private readonly decoy: Promise<string>;

  constructor(private readonly config: AppConfig) {
    this.decoy = hash('decoy password never used', config.auth.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.config.auth.bcryptRounds);
  }

  matches(password: string, passwordHash: string): Promise<boolean> {
    return compare(password, passwordHash);
  }

  async matchesNothing(password: string): Promise<false> {
    await compare(password, await this.decoy);
    return false;
  }
}
