import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * Who works on a marked stream now, and until when: a replica claims the mark (a conditional UPDATE) before
 * doing the work, so two replicas never do one stream's work at once, and no connection is held while the
 * work waits for the platform. A holder that dies leaves a lease that simply runs out.
 */
export class PendingWorkLeases1769900000000 implements MigrationInterface {
  readonly name = 'PendingWorkLeases1769900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      ALTER TABLE ${t.pendingWork}
        ADD COLUMN leased_by text,
        ADD COLUMN lease_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`ALTER TABLE ${t.pendingWork} DROP COLUMN leased_by, DROP COLUMN lease_until`);
  }
}
