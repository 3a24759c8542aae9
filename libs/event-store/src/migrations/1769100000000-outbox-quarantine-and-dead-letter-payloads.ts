import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * Where records too large for Kafka go instead of blocking or being lost. `outbox_quarantine`: an outbox row
 * the broker refused as too large even alone and compressed, moved out of the outbox by the relay with the reason
 * (the rows behind it are published). `dead_letter_payloads`: the payload of a consumed record whose dead letter is
 * too large for the dead-letter topic; the dead letter goes without it and points here (a record in the original
 * topic lives only until that topic's retention, and a dead letter may be replayed later than that). One row per
 * consumed record (group, topic, partition, offset), so that a redelivery keeps it once.
 */
export class OutboxQuarantineAndDeadLetterPayloads1769100000000 implements MigrationInterface {
  readonly name = 'OutboxQuarantineAndDeadLetterPayloads1769100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      CREATE TABLE ${t.outboxQuarantine} (
        id bigint PRIMARY KEY,
        message_id uuid NOT NULL CONSTRAINT outbox_quarantine_message_id_unique UNIQUE,
        topic text NOT NULL,
        message_key text,
        payload text NOT NULL,
        headers jsonb NOT NULL,
        traceparent text,
        created_at timestamptz NOT NULL,
        reason text NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${t.deadLetterPayloads} (
        id bigserial PRIMARY KEY,
        consumer_group text NOT NULL,
        original_topic text NOT NULL,
        original_partition integer NOT NULL,
        original_offset bigint NOT NULL,
        message_key bytea,
        payload bytea,
        reason text NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dead_letter_payloads_record_unique
          UNIQUE (consumer_group, original_topic, original_partition, original_offset)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`DROP TABLE ${t.deadLetterPayloads}`);
    await queryRunner.query(`DROP TABLE ${t.outboxQuarantine}`);
  }
}
