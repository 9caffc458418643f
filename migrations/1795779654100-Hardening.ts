import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hardening:
 * - fold_key(text): THE case fold of the service. Names and e-mails are compared, made unique and
 *   autocompleted through it, in SQL only, so no JavaScript toLowerCase() can disagree with it
 *   (Turkish İ, final sigma, ligatures, full-width letters…). NFKC first, so composed and decomposed
 *   forms and compatibility characters compare equal; lower(upper()) approximates Unicode case
 *   folding where lower() alone does not (σ/ς, ß/ss; PostgreSQL 18's casefold() is not available on
 *   15-17); ICU's root locale when the server has ICU, so the fold does not depend on the OS locale.
 * - account_mail_requests: forgot-password and resend-confirmation requests, recorded the same way
 *   for known and unknown addresses and handled after the answer (no timing difference, no lost mail).
 * - mail_outbox_retention_idx: purging sent and failed mail after MAIL_RETENTION_DAYS.
 */
export class Hardening1795779654100 implements MigrationInterface {
  name = 'Hardening1795779654100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const icu: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`);
    const collate = icu.length > 0 ? ' COLLATE "und-x-icu"' : '';
    await queryRunner.query(
      `CREATE FUNCTION fold_key(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
       RETURN normalize(lower(upper(normalize($1, NFKC)${collate})), NFKC)`,
    );
    await queryRunner.query(`DROP INDEX "users_email_lower_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_fold_key" ON "users" (fold_key("email"))`);
    await queryRunner.query(`DROP INDEX "ingredients_name_lower_key"`);
    await queryRunner.query(`DROP INDEX "ingredients_name_trgm_idx"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ingredients_name_fold_key" ON "ingredients" (fold_key("name"))`);
    await queryRunner.query(`CREATE INDEX "ingredients_name_trgm_idx" ON "ingredients" USING gin (fold_key("name") gin_trgm_ops)`);

    await queryRunner.query(`CREATE TABLE "account_mail_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" character varying(32) NOT NULL, "email" character varying(254) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_account_mail_requests" PRIMARY KEY ("id"))`);
    // The handler claims due requests in next_attempt_at order.
    await queryRunner.query(`CREATE INDEX "account_mail_requests_due_idx" ON "account_mail_requests" ("next_attempt_at")`);
    // Retention: sent and failed mails are purged by age.
    await queryRunner.query(`CREATE INDEX "mail_outbox_retention_idx" ON "mail_outbox" ("created_at") WHERE "status" <> 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "mail_outbox_retention_idx"`);
    await queryRunner.query(`DROP TABLE "account_mail_requests"`);
    await queryRunner.query(`DROP INDEX "ingredients_name_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "ingredients_name_fold_key"`);
    await queryRunner.query(`CREATE INDEX "ingredients_name_trgm_idx" ON "ingredients" USING gin (lower("name") gin_trgm_ops)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ingredients_name_lower_key" ON "ingredients" (lower("name"))`);
    await queryRunner.query(`DROP INDEX "users_email_fold_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (lower("email"))`);
    await queryRunner.query(`DROP FUNCTION fold_key(text)`);
  }
}
