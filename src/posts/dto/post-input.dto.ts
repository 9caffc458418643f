import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Omittable } from '../../common/validation/optional.decorator';
import { IngredientNameField } from '../../ingredients/dto/ingredient.dto';
import { COMPLEXITIES, type Complexity } from '../entities/post.entity';
import { trim } from '../../common/validation/trim';

export class IngredientLineDto {
  @IngredientNameField()
  name: string;

  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true, example: '800 g', description: 'Free text: "800 g", "a handful".' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  quantity?: string | null;
}

/** Each PostInput field's rules, once; `patch` makes a required field omittable (never null). */
const Field = {
  title: (patch = false): PropertyDecorator => (target, key) => {
    (patch ? ApiPropertyOptional : ApiProperty)({ minLength: 1, maxLength: 200, example: 'Tomato and basil bruschetta' })(target, key);
    if (patch) Omittable()(target, key);
    Transform(trim)(target, key);
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(200)(target, key);
  },
  body: (patch = false): PropertyDecorator => (target, key) => {
    (patch ? ApiPropertyOptional : ApiProperty)({ minLength: 1, maxLength: 20000, example: 'Toast the bread, rub it with garlic, top with tomatoes and basil.' })(target, key);
    if (patch) Omittable()(target, key);
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(20000)(target, key);
  },
  complexity: (patch = false): PropertyDecorator => (target, key) => {
    (patch ? ApiPropertyOptional : ApiProperty)({ enum: COMPLEXITIES, example: 'easy' })(target, key);
    if (patch) Omittable()(target, key);
    IsIn(COMPLEXITIES)(target, key);
  },
  count: (max: number, example: number): PropertyDecorator => (target, key) => {
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, nullable: true, example, description: 'null clears it.' })(target, key);
    IsOptional()(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
    Max(max)(target, key);
  },
  ingredients: (patch = false): PropertyDecorator => (target, key) => {
    (patch ? ApiPropertyOptional : ApiProperty)({
      type: [IngredientLineDto],
      maxItems: 100,
      description: 'In display order; unknown names are created; each ingredient at most once.' + (patch ? ' Replaces the whole list.' : ''),
    })(target, key);
    if (patch) Omittable()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(100)(target, key);
    // ValidateNested lets an array element through as "nested" ([[]]): each line must be an object.
    IsObject({ each: true, message: 'each ingredient must be an object like {"name": "basil"}' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => IngredientLineDto)(target, key);
  },
};

export class PostInputDto {
  @Field.title()
  title: string;

  @Field.body()
  body: string;

  @Field.complexity()
  complexity: Complexity;

  @Field.count(10080, 20)
  cookingTimeMinutes?: number | null;

  @Field.count(1000, 4)
  servings?: number | null;

  @Field.ingredients()
  ingredients: IngredientLineDto[];
}

/** PATCH: any subset of PostInput. Required fields may be left out but not set to null. */
export class PatchPostDto {
  @Field.title(true)
  title?: string;

  @Field.body(true)
  body?: string;

  @Field.complexity(true)
  complexity?: Complexity;

  @Field.count(10080, 20)
  cookingTimeMinutes?: number | null;

  @Field.count(1000, 4)
  servings?: number | null;

  @Field.ingredients(true)
  ingredients?: IngredientLineDto[];
}

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, example: 'Made this tonight: lovely.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  body: string;
}
