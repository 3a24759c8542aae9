/**
 * A business refusal, answered like the platform does: infcode -1 with a Chinese err_msg. Thrown by the
 * ledger before it changes any state, so a refused transaction leaves nothing behind.
 */
export class PlatformRejection extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg);
    this.name = 'PlatformRejection';
  }
}

export function reject(errMsg: string): never {
  throw new PlatformRejection(errMsg);
}
