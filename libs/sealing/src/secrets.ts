import fs from 'node:fs';

/** A configuration variable that is wrong: which one, and what is wrong with it. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`configuration: ${field}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** How a library names its configuration errors (the platform client's PlatformConfigError, say). */
export type ConfigErrorClass = new (field: string, detail: string) => Error;

/**
 * A secret (key, token) from the environment: `NAME` itself, or `NAME_FILE` naming a file that only its owner
 * may read (mode 0600 or 0400, as ssh asks of a private key). A file others can read, a path that is not a
 * regular file, or both variables at once are refused, naming the variable. Trailing newlines are dropped.
 */
export function secretFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  Refusal: ConfigErrorClass = ConfigError,
): string | undefined {
  const value = env[name] === '' ? undefined : env[name];
  const file = env[`${name}_FILE`] === '' ? undefined : env[`${name}_FILE`];
  if (value !== undefined && file !== undefined) {
    throw new Refusal(name, `set either ${name} or ${name}_FILE, not both`);
  }
  if (file === undefined) return value;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new Refusal(`${name}_FILE`, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  if (!stat.isFile()) throw new Refusal(`${name}_FILE`, `${file} is not a regular file`);
  if ((stat.mode & 0o077) !== 0) {
    throw new Refusal(
      `${name}_FILE`,
      `${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it`,
    );
  }
  return fs.readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
}
