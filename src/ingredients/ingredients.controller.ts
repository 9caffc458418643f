import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/sessions/authenticated.decorator';
import { CacheResponse } from '../cache/cache-response.decorator';
import { CacheTags } from '../cache/cache-tags';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { CreateIngredientDto, IngredientDetailDto, IngredientDto, IngredientIdParam, IngredientPageDto, ListIngredientsQueryDto } from './dto/ingredient.dto';
import { IngredientsService } from './ingredients.service';

@ApiTags('ingredients')
@ApiProblems(400, 503)
@Controller('ingredients')
export class IngredientsController {
  constructor(private readonly ingredients: IngredientsService) {}

  @Get()
  @CacheResponse({ query: ListIngredientsQueryDto, tags: () => [CacheTags.ingredients] })
  @ApiOperation({ summary: 'List ingredients, or autocomplete them with q' })
  @ApiOkResponse({ type: IngredientPageDto })
  list(@Query() query: ListIngredientsQueryDto) {
    return this.ingredients.list(query);
  }

  @Get(':id')
  @CacheResponse({ tags: () => [CacheTags.ingredients] })
  @ApiOperation({ summary: 'An ingredient with the number of recipes using it' })
  @ApiOkResponse({ type: IngredientDetailDto })
  @ApiProblems(404)
  get(@Param() params: IngredientIdParam) {
    return this.ingredients.get(params.id);
  }

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Add an ingredient', description: 'Idempotent by name (trimmed, case-insensitive): 201 when created, 200 with the existing one otherwise.' })
  @ApiCreatedResponse({ type: IngredientDto, description: 'Created.' })
  @ApiOkResponse({ type: IngredientDto, description: 'Already existed.' })
  @ApiProblems(415)
  async create(@Body() body: CreateIngredientDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { ingredient, created } = await this.ingredients.findOrCreate(body.name);
    if (created) void reply.status(HttpStatus.CREATED).header('Location', `/api/v1/ingredients/${ingredient.id}`);
    else void reply.status(HttpStatus.OK);
    return ingredient;
  }
}
