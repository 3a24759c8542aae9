import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { eventStoreTables } from '../schema-tables';
import { schemaOf } from '../data-source-schema';

/**
 * The event store's tables in the data source's schema. `transaction_id` (xid8, the writing
 * transaction) orders readers: see EventStore.readAll and OutboxRelay for why global_position alone
 * would skip events of transactions that commit late.
 */
export class CreateEventStoreTables1767225600000 implements MigrationInterface {
  readonly name = 'CreateEventStoreTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      CREATE TABLE ${t.events} (
        global_position bigserial PRIMARY KEY,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        schema_version integer NOT NULL CHECK (schema_version > 0),
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await queryRunner.query(`CREATE INDEX events_log_order ON ${t.events} (transaction_id, global_position)`);
    await queryRunner.query(`
      CREATE TABLE ${t.outbox} (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL CONSTRAINT outbox_message_id_unique UNIQUE,
        topic text NOT NULL,
        message_key text,
        payload text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        traceparent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON ${t.outbox} (transaction_id, id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE ${t.inbox} (
        message_id text NOT NULL,
        consumer text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, consumer)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${t.checkpoints} (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = eventStoreTables(schemaOf(queryRunner.connection));
    for (const table of [t.checkpoints, t.inbox, t.outbox, t.events])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
