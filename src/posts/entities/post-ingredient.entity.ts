import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IngredientEntity } from '../../ingredients/entities/ingredient.entity';
import { PostEntity } from './post.entity';

/** An ingredient line of a recipe: which ingredient, how much, in which place. */
@Entity('post_ingredients')
@Index('post_ingredients_ingredient_post_idx', ['ingredientId', 'postId'])
export class PostIngredientEntity {
  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  @PrimaryColumn({ name: 'ingredient_id', type: 'integer' })
  ingredientId: number;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: PostEntity;

  @ManyToOne(() => IngredientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ingredient_id' })
  ingredient?: IngredientEntity;

  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  quantity: string | null;
}
