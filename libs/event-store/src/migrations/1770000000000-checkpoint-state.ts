import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * What a reader of the event log keeps beside its position between runs (e.g. the keys still open as of that
 * position), so that a restart reads those and what came after, not the whole log again.
 */
export class CheckpointState1770000000000 implements MigrationInterface {
  readonly name = 'CheckpointState1770000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`ALTER TABLE ${t.checkpoints} ADD COLUMN state jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`ALTER TABLE ${t.checkpoints} DROP COLUMN state`);
  }
}
