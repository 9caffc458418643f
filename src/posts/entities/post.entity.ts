import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity';

export const COMPLEXITIES = ['easy', 'medium', 'hard'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

// Keep in step with the migration that creates the column.
export const POST_SEARCH_EXPRESSION =
  "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')";

@Entity('posts')
@Index('posts_created_idx', ['createdAt', 'id'])
@Index('posts_popular_idx', ['likes', 'id'])
@Index('posts_author_created_idx', ['authorId', 'createdAt', 'id'])
@Index('posts_complexity_created_idx', ['complexity', 'createdAt', 'id'])
@Index('posts_search_idx', { synchronize: false })
export class PostEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'enum', enum: COMPLEXITIES, enumName: 'post_complexity' })
  complexity: Complexity;

  @Column({ name: 'cooking_time_minutes', type: 'integer', nullable: true })
  cookingTimeMinutes: number | null;

  @Column({ type: 'integer', nullable: true })
  servings: number | null;

  /** Maintained by triggers on `likes`: exact under concurrency and through cascades. */
  @Column({ type: 'integer', default: 0 })
  likes: number;

  /** Maintained by triggers on `comments`. */
  @Column({ name: 'comments_count', type: 'integer', default: 0 })
  commentsCount: number;

  @Column({ type: 'tsvector', select: false, insert: false, update: false, generatedType: 'STORED', asExpression: POST_SEARCH_EXPRESSION })
  search?: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
