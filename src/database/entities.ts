import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity';
import { SessionEntity } from '../auth/entities/session.entity';
import { UserTokenEntity } from '../auth/entities/user-token.entity';
import { OutboxMailEntity } from '../mail/entities/outbox-mail.entity';
import { UserEntity } from '../users/entities/user.entity';

/** Every entity, listed once for the app and the migration CLI alike. */
export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, UserTokenEntity, OutboxMailEntity];
