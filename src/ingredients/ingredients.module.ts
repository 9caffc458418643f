import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { IngredientsCacheListener } from './ingredients-cache.listener';
import { IngredientsController } from './ingredients.controller';
import { IngredientsRepository } from './ingredients.repository';
import { IngredientsService } from './ingredients.service';

@Module({
  imports: [SessionsModule],
  controllers: [IngredientsController],
  providers: [IngredientsRepository, IngredientsService, IngredientsCacheListener],
  exports: [IngredientsService],
})
export class IngredientsModule {}
