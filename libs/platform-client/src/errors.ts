/** The client's configuration is incomplete or wrong; `field` names the setting (and its variable). */
export class PlatformConfigError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`platform client configuration: ${field}: ${detail}`);
    this.name = 'PlatformConfigError';
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
