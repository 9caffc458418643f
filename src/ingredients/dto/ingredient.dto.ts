import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_LIMIT, MAX_LIMIT, PageDto, PageQueryDto } from '../../common/pagination/page.dto';
import { trim } from '../../common/validation/trim';

export class IngredientDto {
  @ApiProperty({ type: 'integer', example: 12 })
  id: number;

  @ApiProperty({ maxLength: 100, example: 'basil' })
  name: string;
}

export class IngredientDetailDto extends IngredientDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 42, description: 'Recipes that use this ingredient.' })
  postsCount: number;
}

export const IngredientPageDto = PageDto(IngredientDto, 'IngredientPage');

/** An ingredient name as typed: trimmed, 1 to 100 characters; unique case-insensitively. */
export const IngredientNameField = (): PropertyDecorator => (target, key) => {
  ApiProperty({ minLength: 1, maxLength: 100, example: 'basil', description: 'Trimmed; matched case-insensitively.' })(target, key);
  Transform(trim)(target, key);
  IsString()(target, key);
  IsNotEmpty()(target, key);
  MaxLength(100)(target, key);
};

export class CreateIngredientDto {
  @IngredientNameField()
  name: string;
}

export class ListIngredientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Autocomplete: case-insensitive prefix and fuzzy (trigram) match, best first. With q there is one page.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q?: string;
}

export class IngredientIdParam {
  @ApiProperty({ type: 'integer', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  id: number;
}

export { DEFAULT_LIMIT, MAX_LIMIT };
