import { AccountMailRequestEntity } from '../auth/entities/account-mail-request.entity';
import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity';
import { SessionEntity } from '../auth/entities/session.entity';
import { UserTokenEntity } from '../auth/entities/user-token.entity';
import { IngredientEntity } from '../ingredients/entities/ingredient.entity';
import { OutboxMailEntity } from '../mail/entities/outbox-mail.entity';
import { CommentEntity } from '../posts/entities/comment.entity';
import { LikeEntity } from '../posts/entities/like.entity';
import { PostIngredientEntity } from '../posts/entities/post-ingredient.entity';
import { PhotoEntity } from '../photos/entities/photo.entity';
import { PostEntity } from '../posts/entities/post.entity';
import { FollowEntity } from '../social/entities/follow.entity';
import { SaveEntity } from '../social/entities/save.entity';
import { UserEntity } from '../users/entities/user.entity';

/** Every entity, listed once for the app and the migration CLI alike. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  UserTokenEntity,
  AccountMailRequestEntity,
  OutboxMailEntity,
  IngredientEntity,
  PostEntity,
  PostIngredientEntity,
  LikeEntity,
  CommentEntity,
  FollowEntity,
  SaveEntity,
  PhotoEntity,
];
