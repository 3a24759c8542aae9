import { type ClaimedKey, type PlatformWork } from './platform-worker';

export const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };

/** A work whose runs are released by the test, recording what ran when. */
export class HeldWork implements PlatformWork {
  readonly started: string[] = [];
  /** What each run was told of its key's stream (ClaimedKey.streamVersion), in the order they started. */
  readonly startedAt: (number | undefined)[] = [];
  readonly owedKeys = new Set<string>();
  maxRunning = 0;
  private running = 0;
  private readonly releases = new Map<string, ((error?: Error) => void)[]>();

  run(key: string, claimed?: ClaimedKey): Promise<void> {
    this.started.push(key);
    this.startedAt.push(claimed?.streamVersion);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise<void>((resolve, reject) => {
      const list = this.releases.get(key) ?? [];
      list.push((error) => {
        this.running--;
        if (error) reject(error);
        else {
          this.owedKeys.delete(key);
          resolve();
        }
      });
      this.releases.set(key, list);
    });
  }

  async owed(): Promise<string[]> {
    return [...this.owedKeys];
  }

  /** Ends the key's oldest run (with an error: it failed). */
  finish(key: string, error?: Error): void {
    const release = this.releases.get(key)?.shift();
    if (!release) throw new Error(`${key} is not running`);
    release(error);
  }

  isRunning(key: string): boolean {
    return (this.releases.get(key)?.length ?? 0) > 0;
  }
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));
