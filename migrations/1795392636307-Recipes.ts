import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recipes: posts with ingredients (post_ingredients, with quantity and position), likes and
 * comments. Each list query has its index, named after the query it serves (comments below).
 * Counters (posts.likes, posts.comments_count, users.posts_count) are maintained by triggers.
 */
export class Recipes1795392636307 implements MigrationInterface {
  name = 'Recipes1795392636307';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Trigram matching for ingredient autocomplete; a trusted extension in the standard contrib set.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Where TypeORM records generated-column expressions (its schema diff reads it).
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`);
    await queryRunner.query(`CREATE TABLE "ingredients" ("id" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "name" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9240185c8a5507251c9f15e0649" PRIMARY KEY ("id"))`);
    // Ingredient names are unique case-insensitively (also the lookup for names in posts and filters).
    await queryRunner.query(`CREATE UNIQUE INDEX "ingredients_name_lower_key" ON "ingredients" (lower("name"))`);
    // GET /ingredients?q=: prefix (LIKE 'q%') and fuzzy (%) matching for autocomplete.
    await queryRunner.query(`CREATE INDEX "ingredients_name_trgm_idx" ON "ingredients" USING gin (lower("name") gin_trgm_ops)`);
    await queryRunner.query(`CREATE TYPE "public"."post_complexity" AS ENUM('easy', 'medium', 'hard')`);
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata" ("database", "schema", "table", "type", "name", "value") VALUES (current_database(), 'public', 'posts', 'GENERATED_COLUMN', 'search', $1)`,
      ["setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')"],
    );
    // search: full-text vector of title (weight A) and body (B), kept current by PostgreSQL.
    await queryRunner.query(`CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "author_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "complexity" "public"."post_complexity" NOT NULL, "cooking_time_minutes" integer, "servings" integer, "likes" integer NOT NULL DEFAULT '0', "comments_count" integer NOT NULL DEFAULT '0', "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`);
    // GET /posts?q=: full-text search.
    await queryRunner.query(`CREATE INDEX "posts_search_idx" ON "posts" USING gin ("search")`);
    // GET /posts?complexity=: newest first within one complexity.
    await queryRunner.query(`CREATE INDEX "posts_complexity_created_idx" ON "posts"("complexity", "created_at", "id")`);
    // GET /users/:id/posts and GET /posts?author=: one author's posts, newest first.
    await queryRunner.query(`CREATE INDEX "posts_author_created_idx" ON "posts"("author_id", "created_at", "id")`);
    // GET /posts?sort=popular: keyset on (likes, id).
    await queryRunner.query(`CREATE INDEX "posts_popular_idx" ON "posts"("likes", "id")`);
    // GET /posts (sort=new, the default): keyset on (created_at, id).
    await queryRunner.query(`CREATE INDEX "posts_created_idx" ON "posts"("created_at", "id")`);
    await queryRunner.query(`CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "post_id" uuid NOT NULL, "author_id" uuid NOT NULL, "body" character varying(5000) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`);
    // Deleting an account cascades to its comments.
    await queryRunner.query(`CREATE INDEX "comments_author_id_idx" ON "comments"("author_id")`);
    // GET /posts/:id/comments: oldest first, keyset on (created_at, id).
    await queryRunner.query(`CREATE INDEX "comments_post_created_idx" ON "comments"("post_id", "created_at", "id")`);
    await queryRunner.query(`CREATE TABLE "likes" ("post_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_723da61de46f65bb3e3096750d2" PRIMARY KEY ("post_id", "user_id"))`);
    // Deleting an account cascades to its likes (the primary key covers post_id lookups).
    await queryRunner.query(`CREATE INDEX "likes_user_id_idx" ON "likes"("user_id")`);
    await queryRunner.query(`CREATE TABLE "post_ingredients" ("post_id" uuid NOT NULL, "ingredient_id" integer NOT NULL, "position" smallint NOT NULL, "quantity" character varying(100), CONSTRAINT "PK_2cb3b048fce8be6a2a190cf372f" PRIMARY KEY ("post_id", "ingredient_id"))`);
    // GET /posts?ingredient=: the posts containing an ingredient; GET /ingredients/:id postsCount.
    await queryRunner.query(`CREATE INDEX "post_ingredients_ingredient_post_idx" ON "post_ingredients"("ingredient_id", "post_id")`);
    await queryRunner.query(`ALTER TABLE "posts" ADD CONSTRAINT "FK_312c63be865c81b922e39c2475e" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_e6d38899c31997c45d128a8973b" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "likes" ADD CONSTRAINT "FK_741df9b9b72f328a6d6f63e79ff" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "likes" ADD CONSTRAINT "FK_3f519ed95f775c781a254089171" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "post_ingredients" ADD CONSTRAINT "FK_fb30ac7c8b2acb8bc952403a5b3" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "post_ingredients" ADD CONSTRAINT "FK_2d92d370a5e6bc054c87da38ef9" FOREIGN KEY ("ingredient_id") REFERENCES "ingredients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    // Counters kept by triggers: exact under concurrent likes, and through ON DELETE CASCADE
    // (deleting an account removes its likes and comments on other people's posts).
    await queryRunner.query(`
      CREATE FUNCTION posts_count_likes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN UPDATE posts SET likes = likes + 1 WHERE id = NEW.post_id;
        ELSE UPDATE posts SET likes = likes - 1 WHERE id = OLD.post_id; END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER likes_count AFTER INSERT OR DELETE ON likes FOR EACH ROW EXECUTE FUNCTION posts_count_likes()`);
    await queryRunner.query(`
      CREATE FUNCTION posts_count_comments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN UPDATE posts SET comments_count = comments_count + 1 WHERE id = NEW.post_id;
        ELSE UPDATE posts SET comments_count = comments_count - 1 WHERE id = OLD.post_id; END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER comments_count AFTER INSERT OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION posts_count_comments()`);
    await queryRunner.query(`
      CREATE FUNCTION users_count_posts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN UPDATE users SET posts_count = posts_count + 1 WHERE id = NEW.author_id;
        ELSE UPDATE users SET posts_count = posts_count - 1 WHERE id = OLD.author_id; END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER posts_count AFTER INSERT OR DELETE ON posts FOR EACH ROW EXECUTE FUNCTION users_count_posts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "posts_count" ON "posts"`);
    await queryRunner.query(`DROP TRIGGER "comments_count" ON "comments"`);
    await queryRunner.query(`DROP TRIGGER "likes_count" ON "likes"`);
    await queryRunner.query(`DROP FUNCTION "users_count_posts"()`);
    await queryRunner.query(`DROP FUNCTION "posts_count_comments"()`);
    await queryRunner.query(`DROP FUNCTION "posts_count_likes"()`);
    await queryRunner.query(`ALTER TABLE "post_ingredients" DROP CONSTRAINT "FK_2d92d370a5e6bc054c87da38ef9"`);
    await queryRunner.query(`ALTER TABLE "post_ingredients" DROP CONSTRAINT "FK_fb30ac7c8b2acb8bc952403a5b3"`);
    await queryRunner.query(`ALTER TABLE "likes" DROP CONSTRAINT "FK_3f519ed95f775c781a254089171"`);
    await queryRunner.query(`ALTER TABLE "likes" DROP CONSTRAINT "FK_741df9b9b72f328a6d6f63e79ff"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_e6d38899c31997c45d128a8973b"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_312c63be865c81b922e39c2475e"`);
    await queryRunner.query(`DROP INDEX "public"."post_ingredients_ingredient_post_idx"`);
    await queryRunner.query(`DROP TABLE "post_ingredients"`);
    await queryRunner.query(`DROP INDEX "public"."likes_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "likes"`);
    await queryRunner.query(`DROP INDEX "public"."comments_post_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_author_id_idx"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP INDEX "public"."posts_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."posts_popular_idx"`);
    await queryRunner.query(`DROP INDEX "public"."posts_author_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."posts_complexity_created_idx"`);
    await queryRunner.query(`DROP TABLE "posts"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'posts' AND "name" = 'search'`);
    await queryRunner.query(`DROP TYPE "public"."post_complexity"`);
    await queryRunner.query(`DROP TABLE "ingredients"`);
    // pg_trgm stays: other schemas may use it, and it is harmless.
  }
}
