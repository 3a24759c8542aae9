import { EventStoreInputError } from './errors';

/** Lifts `data` of one (type, schema version) to the next version's shape. */
export type Upcast = (data: unknown, metadata: Record<string, unknown>) => unknown;

/**
 * Upcasters by (type, schema version), applied when reading so that old events are seen in their
 * newest shape. Each upcaster lifts one version to the next; reading chains them.
 */
export class UpcasterRegistry {
  private readonly byTypeAndVersion = new Map<string, Upcast>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` of `type`. */
  register(type: string, fromVersion: number, upcast: Upcast): this {
    if (!type) throw new EventStoreInputError('upcaster type', 'must be a non-empty string');
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new EventStoreInputError('upcaster fromVersion', `must be an integer >= 1, got ${fromVersion}`);
    }
    const key = this.key(type, fromVersion);
    if (this.byTypeAndVersion.has(key)) {
      throw new EventStoreInputError('upcaster', `for ${type} v${fromVersion} is already registered`);
    }
    this.byTypeAndVersion.set(key, upcast);
    return this;
  }

  /** The newest schema version of a type: what an event written without one is stored as. */
  currentVersion(type: string): number {
    let version = 1;
    while (this.byTypeAndVersion.has(this.key(type, version))) version += 1;
    return version;
  }

  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
    metadata: Record<string, unknown>,
  ): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let current = data;
    for (let step = this.byTypeAndVersion.get(this.key(type, version)); step;) {
      current = step(current, metadata);
      version += 1;
      step = this.byTypeAndVersion.get(this.key(type, version));
    }
    return { schemaVersion: version, data: current };
  }

  private key(type: string, version: number): string {
    return `${type}\u0000${version}`;
  }
}
