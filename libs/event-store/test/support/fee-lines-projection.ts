import { type EntityManager } from 'typeorm';
import { type Projection, type RecordedEvent } from '../../src';

/** The billing office's fee lines per visit: a read model in the service's own schema. */
export function feeLinesProjection(
  schema: string,
  name = 'fee-lines',
): Projection & { table: string; create(m: EntityManager): Promise<void> } {
  const table = `"${schema}"."${name.replace(/-/g, '_')}"`;
  return {
    name,
    table,
    eventTypes: ['FeeCharged', 'FeeRefunded'],
    async create(manager) {
      await manager.query(`CREATE TABLE ${table} (
        stream_id text NOT NULL, feedetl_sn text NOT NULL, det_item_fee_sumamt numeric(16,2) NOT NULL,
        refunded boolean NOT NULL DEFAULT false, PRIMARY KEY (stream_id, feedetl_sn))`);
    },
    async apply(event: RecordedEvent, manager) {
      const data = event.data as { feedetl_sn: string; det_item_fee_sumamt?: string };
      if (event.type === 'FeeCharged') {
        await manager.query(
          `INSERT INTO ${table} (stream_id, feedetl_sn, det_item_fee_sumamt) VALUES ($1, $2, $3)`,
          [event.streamId, data.feedetl_sn, data.det_item_fee_sumamt],
        );
      } else {
        await manager.query(`UPDATE ${table} SET refunded = true WHERE stream_id = $1 AND feedetl_sn = $2`, [
          event.streamId,
          data.feedetl_sn,
        ]);
      }
    },
    async reset(manager) {
      await manager.query(`TRUNCATE ${table}`);
    },
  };
}
