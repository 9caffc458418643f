import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photos: one row per upload (its files live in media storage under photos/<id>/), processed by a
 * background job (pg-boss, which installs its own `pgboss` schema at boot). Deleting a post
 * cascades to its photo rows; their files are removed by the service.
 */
export class Photos1795792346568 implements MigrationInterface {
  name = 'Photos1795792346568';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."photo_status" AS ENUM('pending', 'processing', 'ready', 'failed')`);
    await queryRunner.query(`CREATE TYPE "public"."photo_error_code" AS ENUM('unsupported_format', 'corrupt_image', 'too_many_pixels')`);
    await queryRunner.query(`CREATE TABLE "photos" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "post_id" uuid NOT NULL, "status" "public"."photo_status" NOT NULL DEFAULT 'pending', "format" character varying(10) NOT NULL, "error_code" "public"."photo_error_code", "error_message" character varying(300), "width" integer, "height" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5220c45b8e32d49d767b9b3d725" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "photos_post_created_idx" ON "photos" ("post_id", "created_at", "id")`);
    await queryRunner.query(`ALTER TABLE "photos" ADD CONSTRAINT "FK_2fa80079f16f9dcd1f89d046e1c" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "photos" DROP CONSTRAINT "FK_2fa80079f16f9dcd1f89d046e1c"`);
    await queryRunner.query(`DROP INDEX "public"."photos_post_created_idx"`);
    await queryRunner.query(`DROP TABLE "photos"`);
    await queryRunner.query(`DROP TYPE "public"."photo_error_code"`);
    await queryRunner.query(`DROP TYPE "public"."photo_status"`);
  }
}
