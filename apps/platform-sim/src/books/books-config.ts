/** Where one sandbox installation keeps its books: a PostgreSQL database and a schema of its own. */
export interface SimBooksOptions {
  readonly databaseUrl: string;
  /** The installation's schema (default `platform_sim`): one sandbox, one schema, never shared. */
  readonly schema: string;
  /**
   * Start even though recorded answers differ from what the current rules answer when replayed (the rules
   * changed since): the books are then the replayed state. Default false: such a start is refused.
   */
  readonly acceptReplayMismatch: boolean;
}

/** The database the services use when nothing else is set (the local stack's, tools/stack). */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_BOOKS_SCHEMA = 'platform_sim';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The books' part of the environment:
 *
 *   PLATFORM_SIM_DATABASE_URL               postgres://… (default: DATABASE_URL, as the services, else the local stack's)
 *   PLATFORM_SIM_SCHEMA                     the installation's schema (platform_sim)
 *   PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH     false (default) | true: start although replayed answers differ
 */
export function booksOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  fail: (variable: string, message: string) => never,
): SimBooksOptions {
  const text = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const databaseUrl = text('PLATFORM_SIM_DATABASE_URL') ?? text('DATABASE_URL') ?? LOCAL_DATABASE_URL;
  if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    fail(
      text('PLATFORM_SIM_DATABASE_URL') ? 'PLATFORM_SIM_DATABASE_URL' : 'DATABASE_URL',
      'must be a postgres:// URL',
    );
  const schema = text('PLATFORM_SIM_SCHEMA') ?? DEFAULT_BOOKS_SCHEMA;
  if (!SCHEMA_NAME.test(schema))
    fail('PLATFORM_SIM_SCHEMA', 'must be a lower-case PostgreSQL identifier (a-z, 0-9, _)');
  const accept = text('PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH') ?? 'false';
  if (accept !== 'true' && accept !== 'false')
    fail('PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH', 'must be true or false');
  return { databaseUrl, schema, acceptReplayMismatch: accept === 'true' };
}
