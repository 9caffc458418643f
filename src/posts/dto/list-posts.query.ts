import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page.dto';
import { COMPLEXITIES, type Complexity } from '../entities/post.entity';

export const POST_SORTS = ['new', 'popular'] as const;
export type PostSort = (typeof POST_SORTS)[number];

/** One or many `ingredient=` values as an array, each trimmed like the names they refer to. */
const toTrimmedArray = ({ value }: { value: unknown }): unknown =>
  value === undefined ? value : (Array.isArray(value) ? value : [value]).map((item: unknown) => (typeof item === 'string' ? item.trim() : item));

export class ListPostsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: POST_SORTS, default: 'new', description: '`new`: newest first; `popular`: most liked first.' })
  @IsOptional()
  @IsIn(POST_SORTS)
  sort: PostSort = 'new';

  @ApiPropertyOptional({ enum: COMPLEXITIES })
  @IsOptional()
  @IsIn(COMPLEXITIES)
  complexity?: Complexity;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this author’s posts.' })
  @IsOptional()
  @IsUUID()
  author?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 10,
    description: 'Repeatable: posts containing all of these ingredients, each given by id or by name (`?ingredient=tomato&ingredient=12`).',
  })
  @IsOptional()
  @Transform(toTrimmedArray)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  ingredient?: string[];

  @ApiPropertyOptional({ maxLength: 200, description: 'Full-text search over title and body (web-search syntax: words, "phrases", -exclusions).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  q?: string;
}
