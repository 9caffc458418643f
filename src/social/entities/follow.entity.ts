import { Check, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity';

/**
 * One row per follower and followee (the primary key makes following idempotent and serves the
 * feed's "does the caller follow this author?" probe). Counters on users are kept by a trigger.
 */
@Entity('follows')
@Check('follows_not_self', '"follower_id" <> "followee_id"')
// Followers of a user, newest first (and the cascade when the followee's account goes).
@Index('follows_followee_created_idx', ['followeeId', 'createdAt', 'followerId'])
// Whom a user follows, newest first.
@Index('follows_follower_created_idx', ['followerId', 'createdAt', 'followeeId'])
export class FollowEntity {
  @PrimaryColumn({ name: 'follower_id', type: 'uuid' })
  followerId: string;

  @PrimaryColumn({ name: 'followee_id', type: 'uuid' })
  followeeId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'follower_id' })
  follower?: UserEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'followee_id' })
  followee?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
