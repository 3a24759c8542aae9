import { SimConfigError, simOptionsFromEnv } from '../sim-config';

describe('the books in the environment', () => {
  it('given nothing, when read, then the services’ DATABASE_URL convention and the platform_sim schema', () => {
    expect(simOptionsFromEnv({}).books).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      schema: 'platform_sim',
      acceptReplayMismatch: false,
    });
    expect(simOptionsFromEnv({ DATABASE_URL: 'postgres://db:5432/hub' }).books.databaseUrl).toBe(
      'postgres://db:5432/hub',
    );
  });

  it('given the sandbox’s own variables, when read, then they win', () => {
    const { books } = simOptionsFromEnv({
      DATABASE_URL: 'postgres://db:5432/hub',
      PLATFORM_SIM_DATABASE_URL: 'postgresql://sandbox:5432/sim',
      PLATFORM_SIM_SCHEMA: 'yb_3f9a0c1d_platform_sim',
      PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH: 'true',
    });
    expect(books).toEqual({
      databaseUrl: 'postgresql://sandbox:5432/sim',
      schema: 'yb_3f9a0c1d_platform_sim',
      acceptReplayMismatch: true,
    });
  });

  it.each([
    [
      { PLATFORM_SIM_SCHEMA: 'Platform-Sim' },
      /PLATFORM_SIM_SCHEMA: must be a lower-case PostgreSQL identifier/,
    ],
    [{ PLATFORM_SIM_DATABASE_URL: 'mysql://x' }, /PLATFORM_SIM_DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ DATABASE_URL: 'db:5432' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    [
      { PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH: 'yes' },
      /PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH: must be true or false/,
    ],
  ])('given %j, when read, then the variable is named', (env, message) => {
    expect(() => simOptionsFromEnv(env)).toThrow(SimConfigError);
    expect(() => simOptionsFromEnv(env)).toThrow(message);
  });
});
