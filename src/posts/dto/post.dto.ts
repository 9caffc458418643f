import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { PageDto } from '../../common/pagination/page.dto';
import { PhotoDto } from '../../photos/dto/photo.dto';
import { VIEWER_FLAG_NOTE } from '../../common/viewer/viewer-slots';
import { COMPLEXITIES, type Complexity } from '../entities/post.entity';

export class AuthorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Ada' })
  firstName: string;

  @ApiProperty({ example: 'Lovelace' })
  lastName: string;
}

export class PostIngredientDto {
  @ApiProperty({ type: 'integer', example: 12 })
  id: number;

  @ApiProperty({ example: 'basil' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'a handful' })
  quantity: string | null;
}

export class PostDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Tomato and basil bruschetta' })
  title: string;

  @ApiProperty({ example: 'Toast the bread, rub it with garlic, top with tomatoes and basil.' })
  body: string;

  @ApiProperty({ enum: COMPLEXITIES })
  complexity: Complexity;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 20 })
  cookingTimeMinutes: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 4 })
  servings: number | null;

  @ApiProperty({ type: AuthorDto })
  author: AuthorDto;

  @ApiProperty({ type: 'integer', minimum: 0, example: 7 })
  likes: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  commentsCount: number;

  @ApiProperty({ type: [PostIngredientDto], description: 'In display order.' })
  ingredients: PostIngredientDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true, description: 'The first ready photo’s `thumb` URL, or null.' })
  cover: string | null;

  @ApiProperty({ type: [PhotoDto], description: 'Its ready photos, in upload order.' })
  photos: PhotoDto[];

  @ApiPropertyOptional({ description: VIEWER_FLAG_NOTE('Whether the caller likes this recipe') })
  liked?: boolean;

  @ApiPropertyOptional({ description: VIEWER_FLAG_NOTE('Whether the caller saved this recipe') })
  saved?: boolean;
}

/** A post in lists: everything but the body. */
export class PostSummaryDto extends OmitType(PostDto, ['body', 'photos'] as const) {}

export const PostSummaryPageDto = PageDto(PostSummaryDto, 'PostSummaryPage');

export class LikeStateDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 8 })
  likes: number;

  @ApiProperty({ example: true })
  liked: boolean;
}

export class CommentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Made this tonight: lovely.' })
  body: string;

  @ApiProperty({ type: AuthorDto })
  author: AuthorDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export const CommentPageDto = PageDto(CommentDto, 'CommentPage');
