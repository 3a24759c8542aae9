import { Injectable } from '@nestjs/common';

/** How many instances of a saga are in each state, e.g. `{ AWAITING_AUDIT: 3, SETTLED: 120 }`. */
export type SagaStateCounts = Readonly<Record<string, number>>;

/**
 * Where a service that runs a saga (process manager) says how to count its instances by state, for the
 * `yb_sagas_by_state{saga, state}` gauge. Register in onModuleInit, like message handlers; the counts are read
 * at every scrape of /metrics (keep the query cheap: a GROUP BY on the saga's read model).
 *
 *   constructor(@Inject(SagaStateMetrics) sagaStates: SagaStateMetrics, …) {}
 *   onModuleInit() {
 *     this.sagaStates.register('settlement', () => this.sagas.countByState());
 *   }
 */
@Injectable()
export class SagaStateMetrics {
  private readonly sources = new Map<string, () => Promise<SagaStateCounts>>();

  register(saga: string, countByState: () => Promise<SagaStateCounts>): this {
    if (this.sources.has(saga)) throw new Error(`saga ${saga} already registers its state counts`);
    this.sources.set(saga, countByState);
    return this;
  }

  /** Every registered saga's counts; a saga whose count failed is left out and reported in `failed`. */
  async read(): Promise<{
    counts: { saga: string; state: string; count: number }[];
    failed: { saga: string; error: unknown }[];
  }> {
    const counts: { saga: string; state: string; count: number }[] = [];
    const failed: { saga: string; error: unknown }[] = [];
    await Promise.all(
      [...this.sources].map(async ([saga, countByState]) => {
        try {
          for (const [state, count] of Object.entries(await countByState()))
            counts.push({ saga, state, count });
        } catch (error) {
          failed.push({ saga, error });
        }
      }),
    );
    return { counts, failed };
  }
}
