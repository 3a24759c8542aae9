import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * Streams that owe work outside the store (a visit's lines still to send to the platform), marked in the
 * transaction that made them owe it, so that a worker that takes the work off the consumer path finds it
 * again after a crash. stream_version is the version at the last mark: a worker clears the mark only up
 * to the version it finished with, so work marked while it ran is not forgotten.
 */
export class CreatePendingWork1769000000000 implements MigrationInterface {
  readonly name = 'CreatePendingWork1769000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      CREATE TABLE ${t.pendingWork} (
        stream_id text PRIMARY KEY,
        stream_version bigint NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`DROP TABLE ${t.pendingWork}`);
  }
}
