import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Social: follows (with followers_count / following_count on users, kept by a trigger like the
 * other counters, so they stay exact under concurrent follows and through ON DELETE CASCADE) and
 * saved posts. Lists are keyset-paged newest first on (owner, created_at, other id) indexes; the
 * primary keys answer "does the caller follow / has the caller saved this?" for viewer flags and
 * the feed.
 */
export class Social1795788805591 implements MigrationInterface {
  name = 'Social1795788805591';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "follows" ("follower_id" uuid NOT NULL, "followee_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "follows_not_self" CHECK ("follower_id" <> "followee_id"), CONSTRAINT "PK_f9294bbb1517cfd99f06f534fe7" PRIMARY KEY ("follower_id", "followee_id"))`);
    await queryRunner.query(`CREATE INDEX "follows_follower_created_idx" ON "follows" ("follower_id", "created_at", "followee_id")`);
    await queryRunner.query(`CREATE INDEX "follows_followee_created_idx" ON "follows" ("followee_id", "created_at", "follower_id")`);
    await queryRunner.query(`CREATE TABLE "saves" ("user_id" uuid NOT NULL, "post_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2a79d1b73e1c5794806802f50cc" PRIMARY KEY ("user_id", "post_id"))`);
    await queryRunner.query(`CREATE INDEX "saves_post_idx" ON "saves" ("post_id")`);
    await queryRunner.query(`CREATE INDEX "saves_user_created_idx" ON "saves" ("user_id", "created_at", "post_id")`);
    await queryRunner.query(`ALTER TABLE "users" ADD "followers_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "following_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "follows" ADD CONSTRAINT "FK_54b5dc2739f2dea57900933db66" FOREIGN KEY ("follower_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "follows" ADD CONSTRAINT "FK_1984b177379388946c21afcdaa9" FOREIGN KEY ("followee_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "saves" ADD CONSTRAINT "FK_7b8bc823fd09b6b5751919d4a60" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "saves" ADD CONSTRAINT "FK_7cd886b92b2b33f52a73f66e17c" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Writers lock both users rows in id order before inserting (FollowsRepository), so these
    // updates never deadlock with each other; a cascade from an account's deletion may, and is retried.
    await queryRunner.query(`
      CREATE FUNCTION users_count_follows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
          UPDATE users SET followers_count = followers_count + 1 WHERE id = NEW.followee_id;
        ELSE
          UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
          UPDATE users SET followers_count = followers_count - 1 WHERE id = OLD.followee_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER follows_count AFTER INSERT OR DELETE ON follows FOR EACH ROW EXECUTE FUNCTION users_count_follows()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "follows_count" ON "follows"`);
    await queryRunner.query(`DROP FUNCTION "users_count_follows"()`);
    await queryRunner.query(`ALTER TABLE "saves" DROP CONSTRAINT "FK_7cd886b92b2b33f52a73f66e17c"`);
    await queryRunner.query(`ALTER TABLE "saves" DROP CONSTRAINT "FK_7b8bc823fd09b6b5751919d4a60"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "FK_1984b177379388946c21afcdaa9"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "FK_54b5dc2739f2dea57900933db66"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "following_count"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "followers_count"`);
    await queryRunner.query(`DROP INDEX "public"."saves_user_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."saves_post_idx"`);
    await queryRunner.query(`DROP TABLE "saves"`);
    await queryRunner.query(`DROP INDEX "public"."follows_followee_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."follows_follower_created_idx"`);
    await queryRunner.query(`DROP TABLE "follows"`);
  }
}
