import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PostEntity } from '../../posts/entities/post.entity';

export const PHOTO_STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];
export const PHOTO_ERRORS = ['unsupported_format', 'corrupt_image', 'too_many_pixels'] as const;
export type PhotoErrorCode = (typeof PHOTO_ERRORS)[number];

/** An uploaded photo of a post; its files live in media storage under `photos/<id>/`. */
@Entity('photos')
// A post's photos in upload order (and the cascade when the post goes).
@Index('photos_post_created_idx', ['postId', 'createdAt', 'id'])
export class PhotoEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: PostEntity;

  @Column({ type: 'enum', enum: PHOTO_STATUSES, enumName: 'photo_status', default: 'pending' })
  status: PhotoStatus;

  /** The format the upload's bytes were sniffed as: jpeg, png or webp. */
  @Column({ type: 'varchar', length: 10 })
  format: string;

  @Column({ name: 'error_code', type: 'enum', enum: PHOTO_ERRORS, enumName: 'photo_error_code', nullable: true })
  errorCode: PhotoErrorCode | null;

  @Column({ name: 'error_message', type: 'varchar', length: 300, nullable: true })
  errorMessage: string | null;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}
