import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * The outbox holds only rows still to publish: the relay deletes a batch once Kafka acknowledged it
 * (published_at goes, with the rows it marked), so the table and its index stay the size of the
 * backlog. The inbox gets a BRIN index on processed_at for pruning by age: rows arrive in time order,
 * so a few pages of summaries find the old ones without a per-row index on the hot path's inserts.
 */
export class DeletePublishedOutboxRows1768500000000 implements MigrationInterface {
  readonly name = 'DeletePublishedOutboxRows1768500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`DELETE FROM ${t.outbox} WHERE published_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "${t.schema}"."outbox_unpublished"`);
    await queryRunner.query(`ALTER TABLE ${t.outbox} DROP COLUMN published_at`);
    await queryRunner.query(`CREATE INDEX outbox_commit_order ON ${t.outbox} (transaction_id, id)`);
    await queryRunner.query(`CREATE INDEX inbox_processed_at ON ${t.inbox} USING brin (processed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`DROP INDEX "${t.schema}"."inbox_processed_at"`);
    await queryRunner.query(`DROP INDEX "${t.schema}"."outbox_commit_order"`);
    await queryRunner.query(`ALTER TABLE ${t.outbox} ADD COLUMN published_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON ${t.outbox} (transaction_id, id) WHERE published_at IS NULL`,
    );
  }
}
