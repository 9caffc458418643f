import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('ingredients')
// fold_key(name) uniqueness and the trigram index are expression indexes: in the migrations only.
@Index('ingredients_name_fold_key', { synchronize: false })
@Index('ingredients_name_trgm_idx', { synchronize: false })
export class IngredientEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
