import { type KafkaPublisher } from '@yb/messaging';
import { enrollableCertno, HisTestVisit, SIM_PRICED_ITEMS } from '@yb/testing';

const { BED, AMOXICILLIN } = SIM_PRICED_ITEMS;

/**
 * One benchmark visit: an employee admitted, charged two lines and discharged (what must be on the platform
 * before settling), then settled at discharge.
 */
export class BenchVisit extends HisTestVisit {
  async prepare(): Promise<void> {
    await this.admit();
    await this.charge(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);
    await this.discharge();
  }
}

/** `count` visits unique to this run, of persons the simulator enrols. */
export function benchVisits(publisher: KafkaPublisher, topic: string, count: number): BenchVisit[] {
  const run = String(Date.now()).slice(-8);
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(5, '0');
    return new BenchVisit(publisher, topic, `ZYB${run}${n}`, `42000${run}${n}0`, enrollableCertno(i));
  });
}
