import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * A kept dead-letter payload is closed when a person replays or resolves its dead letter (`closed_at`, `closed_as`):
 * from then on it is only history, deleted by the service's retention after DEAD_LETTER_PAYLOAD_RETENTION_DAYS.
 * An open one is never deleted: it may be the only copy of a HIS record.
 */
export class DeadLetterPayloadsClosed1769300000000 implements MigrationInterface {
  readonly name = 'DeadLetterPayloadsClosed1769300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      ALTER TABLE ${t.deadLetterPayloads}
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_as text CONSTRAINT dead_letter_payloads_closed_as CHECK (closed_as IN ('replayed', 'resolved'))`);
    await queryRunner.query(
      `CREATE INDEX dead_letter_payloads_closed_at ON ${t.deadLetterPayloads} (closed_at) WHERE closed_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`DROP INDEX "${t.schema}".dead_letter_payloads_closed_at`);
    await queryRunner.query(
      `ALTER TABLE ${t.deadLetterPayloads} DROP COLUMN closed_as, DROP COLUMN closed_at`,
    );
  }
}
