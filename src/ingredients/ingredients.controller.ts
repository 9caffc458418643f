import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/sessions/authenticated.decorator';
import { CacheResponse } from '../cache/cache-response.decorator';
import { IngredientTags } from './ingredients.cache-tags';
import { ApiCreated } from '../common/http/api-created.decorator';
import { ApiProblems, BODY_PROBLEMS } from '../common/http/api-problems.decorator';
import { CreateIngredientDto, IngredientDetailDto, IngredientDto, IngredientIdParam, IngredientPageDto, ListIngredientsQueryDto } from './dto/ingredient.dto';
import { IngredientsService } from './ingredients.service';

@ApiTags('ingredients')
@ApiProblems(400, 503)
@Controller('ingredients')
export class IngredientsController {
  constructor(private readonly ingredients: IngredientsService) {}

  @Get()
  @CacheResponse(IngredientPageDto, { query: ListIngredientsQueryDto, tags: () => [IngredientTags.all] })
  @ApiOperation({
    operationId: 'listIngredients',
    summary: 'List ingredients, or autocomplete them with q',
    description: 'Without `q`: every ingredient in id order, by keyset. With `q`: prefix matches first, then fuzzy ones, in one page.',
  })
  list(@Query() query: ListIngredientsQueryDto) {
    return this.ingredients.list(query);
  }

  @Get(':id')
  @CacheResponse(IngredientDetailDto, { tags: () => [IngredientTags.all] })
  @ApiOperation({ operationId: 'getIngredient', summary: 'An ingredient with the number of recipes using it', description: 'Ingredient ids are integers.' })
  @ApiProblems(404)
  get(@Param() params: IngredientIdParam) {
    return this.ingredients.get(params.id);
  }

  @Post()
  @Authenticated()
  @ApiOperation({
    operationId: 'createIngredient',
    summary: 'Add an ingredient',
    description: 'Idempotent by name (trimmed, case-insensitive in any script): 201 when created, 200 with the existing one otherwise.',
  })
  @ApiCreated(IngredientDto, 'The new ingredient’s URL.')
  @ApiOkResponse({ type: IngredientDto, description: 'Already existed.' })
  @ApiProblems(...BODY_PROBLEMS)
  async create(@Body() body: CreateIngredientDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { ingredient, created } = await this.ingredients.findOrCreate(body.name);
    if (created) void reply.status(HttpStatus.CREATED).header('Location', `/api/v1/ingredients/${ingredient.id}`);
    else void reply.status(HttpStatus.OK);
    return ingredient;
  }
}
