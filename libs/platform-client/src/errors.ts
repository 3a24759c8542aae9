import { ConfigError } from '@yb/sealing';

/**
 * The client's configuration is incomplete or wrong; `field` names the setting (and its variable). A ConfigError
 * (@yb/sealing's, which the keyring and secret files throw), so that one catch takes both.
 */
export class PlatformConfigError extends ConfigError {
  constructor(field: string, detail: string) {
    super(field, detail);
    this.message = `platform client configuration: ${field}: ${detail}`;
    this.name = 'PlatformConfigError';
  }
}

/**
 * 9001 sign-in failed: REJECTED (the platform refused the operator: a configuration to fix) or UNKNOWN (no answer:
 * the platform unreachable, waited out by whoever signs in).
 */
export class PlatformSignInError extends Error {
  constructor(
    readonly status: 'REJECTED' | 'UNKNOWN',
    message: string,
  ) {
    super(message);
    this.name = 'PlatformSignInError';
  }
}

/** A 2601 reversal cannot be attempted for this journal row (unknown msgid, wrong status, not reversible). */
export class PlatformReversalError extends Error {
  constructor(
    readonly msgid: string,
    message: string,
  ) {
    super(`cannot reverse ${msgid}: ${message}`);
    this.name = 'PlatformReversalError';
  }
}
