import { Injectable } from '@nestjs/common';
import { type CallResolver, type PlatformCallRecord } from '@yb/platform-client';

/**
 * Where a service says how to settle, at start-up, the calls a crash left PENDING or UNKNOWN that 2601
 * cannot reverse (register in onModuleInit, like message handlers). An interface without a resolver
 * stays UNKNOWN in the journal and is reported at every start until someone settles it.
 */
@Injectable()
export class PlatformCallRecovery {
  private readonly resolvers = new Map<string, CallResolver>();

  /** The resolver of the given interfaces (infno), e.g. ['2402', '2403']. */
  resolveWith(infnos: readonly string[], resolver: CallResolver): this {
    for (const infno of infnos) {
      if (this.resolvers.has(infno)) throw new Error(`a resolver for ${infno} is already registered`);
      this.resolvers.set(infno, resolver);
    }
    return this;
  }

  /** The CallResolver handed to PlatformClient.recover(). */
  readonly resolve: CallResolver = (call: PlatformCallRecord) => {
    const resolver = this.resolvers.get(call.infno);
    if (!resolver) {
      return Promise.reject(new Error(`no resolver registered for ${call.infno}: left UNKNOWN for a person`));
    }
    return resolver(call);
  };
}
