import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('ingredients')
// lower(name) uniqueness and the trigram index are expression indexes: in the migration only.
@Index('ingredients_name_lower_key', { synchronize: false })
@Index('ingredients_name_trgm_idx', { synchronize: false })
export class IngredientEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
