import type { MigrationInterface, QueryRunner } from 'typeorm';

function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`unsafe schema name "${schema}"`);
  return schema;
}

/** Creates the platform call journal in the DataSource's schema (the calling service's own). */
export class CreatePlatformCallJournal1767000000000 implements MigrationInterface {
  name = 'CreatePlatformCallJournal1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."platform_call_journal" (
        msgid varchar(30) PRIMARY KEY,
        call_id uuid NOT NULL,
        attempt integer NOT NULL,
        infno varchar(6) NOT NULL,
        psn_no varchar(30),
        visit_key varchar(100) NOT NULL,
        status varchar(20) NOT NULL,
        request jsonb NOT NULL,
        response jsonb,
        infcode integer,
        err_msg text,
        unknown_reason text,
        reversal_msgid varchar(30),
        reversal_err_msg text,
        resolution jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX platform_call_journal_status_idx ON "${schema}"."platform_call_journal" (status, updated_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX platform_call_journal_visit_idx ON "${schema}"."platform_call_journal" (visit_key)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."platform_call_journal"`);
  }
}

/**
 * The caller's key of one logical request (CallOptions.requestKey): a request asked for again after a crash is
 * answered from the journal instead of being sent twice.
 */
export class AddPlatformCallRequestKey1768000000000 implements MigrationInterface {
  name = 'AddPlatformCallRequestKey1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${schema}"."platform_call_journal" ADD COLUMN request_key varchar(200)`,
    );
    await queryRunner.query(
      `CREATE INDEX platform_call_journal_request_key_idx ON "${schema}"."platform_call_journal" (request_key)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${schemaOf(queryRunner)}"."platform_call_journal" DROP COLUMN request_key`,
    );
  }
}

/**
 * Which journal key sealed a row's request and answer (NULL: clear, or sealed under different keys), so that
 * a key rotation finds the rows to seal again through an index instead of reading every row's jsonb.
 */
export class AddPlatformCallSealedWith1769200000000 implements MigrationInterface {
  name = 'AddPlatformCallSealedWith1769200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${schema}"."platform_call_journal" ADD COLUMN sealed_with varchar(32)`,
    );
    await queryRunner.query(
      `CREATE INDEX platform_call_journal_sealed_with_idx ON "${schema}"."platform_call_journal" (sealed_with)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${schemaOf(queryRunner)}"."platform_call_journal" DROP COLUMN sealed_with`,
    );
  }
}

/** The journal's columns sealed since this migration beside request and response (PlatformCallJournal). */
const NEWLY_SEALED = ['psn_no', 'err_msg', 'unknown_reason', 'reversal_err_msg'] as const;

/**
 * psn_no, err_msg, unknown_reason and reversal_err_msg become jsonb, to hold a sealed value (a clear one as a JSON
 * string, which the journal reads as it is). Rows written before keep their values clear, so their sealed_with is
 * cleared: the journal's reseal pass (every retention pass of a service, and `npm run reseal`) seals them. Done
 * there rather than here, because a migration has no business with keys and a large journal is sealed in batches.
 */
export class SealPlatformCallTexts1770100000000 implements MigrationInterface {
  name = 'SealPlatformCallTexts1770100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = `"${schemaOf(queryRunner)}"."platform_call_journal"`;
    await queryRunner.query(
      `ALTER TABLE ${table} ${NEWLY_SEALED.map((c) => `ALTER COLUMN ${c} TYPE jsonb USING to_jsonb(${c})`).join(', ')}`,
    );
    await queryRunner.query(
      `UPDATE ${table} SET sealed_with = NULL
       WHERE sealed_with IS NOT NULL AND (${NEWLY_SEALED.map((c) => `${c} IS NOT NULL`).join(' OR ')})`,
    );
  }

  /** Back to text, for rows still clear; a sealed value is refused (open them with the keys first). */
  async down(queryRunner: QueryRunner): Promise<void> {
    const table = `"${schemaOf(queryRunner)}"."platform_call_journal"`;
    const sealed = await queryRunner.query(
      `SELECT msgid FROM ${table} WHERE ${NEWLY_SEALED.map((c) => `jsonb_typeof(${c}) = 'object'`).join(' OR ')} LIMIT 1`,
    );
    if (sealed.length > 0) {
      throw new Error(
        `platform_call_journal row ${sealed[0].msgid} holds sealed texts: text columns cannot hold them`,
      );
    }
    await queryRunner.query(
      `ALTER TABLE ${table} ${NEWLY_SEALED.map(
        (c) => `ALTER COLUMN ${c} TYPE ${c === 'psn_no' ? 'varchar(30)' : 'text'} USING (${c} #>> '{}')`,
      ).join(', ')}`,
    );
  }
}

/** Add to the service DataSource's `migrations` (and PlatformCallRecord to its `entities`). */
export const PLATFORM_CLIENT_MIGRATIONS = [
  CreatePlatformCallJournal1767000000000,
  AddPlatformCallRequestKey1768000000000,
  AddPlatformCallSealedWith1769200000000,
  SealPlatformCallTexts1770100000000,
];
