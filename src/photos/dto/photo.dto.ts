import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PHOTO_ERRORS, PHOTO_STATUSES, type PhotoErrorCode, type PhotoStatus } from '../entities/photo.entity';

export class PhotoErrorDto {
  @ApiProperty({ enum: PHOTO_ERRORS })
  code: PhotoErrorCode;

  @ApiProperty({ example: 'The image is damaged or incomplete and cannot be decoded.' })
  message: string;
}

export class PhotoVariantsDto {
  @ApiProperty({ format: 'uri', description: 'WebP, 320 px wide (never enlarged).' })
  thumb: string;

  @ApiProperty({ format: 'uri', description: 'WebP, 1280 px wide (never enlarged).' })
  large: string;
}

export class PhotoDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  postId: string;

  @ApiProperty({ enum: PHOTO_STATUSES, description: '`pending` until a worker takes it; `ready` or `failed` once processed.' })
  status: PhotoStatus;

  @ApiPropertyOptional({ type: PhotoErrorDto, description: 'When `failed`.' })
  error?: PhotoErrorDto;

  @ApiPropertyOptional({ type: 'integer', description: 'Of the upright image, when `ready`.' })
  width?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Of the upright image, when `ready`.' })
  height?: number;

  @ApiPropertyOptional({ type: PhotoVariantsDto, description: 'When `ready`.' })
  variants?: PhotoVariantsDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it became `ready` or `failed`.' })
  processedAt?: string;
}

export class PhotoListDto {
  @ApiProperty({ type: [PhotoDto], description: 'In upload order.' })
  items: PhotoDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: a post has at most PHOTOS_PER_POST photos.' })
  nextCursor: null;
}
