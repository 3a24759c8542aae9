import { EventStoreInputError } from './errors';
import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    // v1 stored the amount in fen as a number; v2 keeps yuan as a decimal string (16,2).
    .register('FeeCharged', 1, (data) => {
      const { amount_fen, ...rest } = data as { amount_fen: number };
      return {
        ...rest,
        det_item_fee_sumamt:
          (BigInt(amount_fen) / 100n).toString() + '.' + String(amount_fen % 100).padStart(2, '0'),
      };
    })
    .register('FeeCharged', 2, (data) => ({ ...(data as object), chrgitm_lv: '01' }));

  it('chains the steps from the stored version to the newest', () => {
    expect(registry.upcast('FeeCharged', 1, { feedetl_sn: 'F1', amount_fen: 12345 }, {})).toEqual({
      schemaVersion: 3,
      data: { feedetl_sn: 'F1', det_item_fee_sumamt: '123.45', chrgitm_lv: '01' },
    });
    expect(registry.upcast('FeeCharged', 2, { det_item_fee_sumamt: '1.00' }, {})).toEqual({
      schemaVersion: 3,
      data: { det_item_fee_sumamt: '1.00', chrgitm_lv: '01' },
    });
  });

  it('leaves types and versions without an upcaster as they are', () => {
    expect(registry.upcast('FeeRefunded', 1, { feedetl_sn: 'F1' }, {})).toEqual({
      schemaVersion: 1,
      data: { feedetl_sn: 'F1' },
    });
    expect(registry.upcast('FeeCharged', 3, { x: 1 }, {})).toEqual({ schemaVersion: 3, data: { x: 1 } });
  });

  it('knows the newest version of each type', () => {
    expect(registry.currentVersion('FeeCharged')).toBe(3);
    expect(registry.currentVersion('FeeRefunded')).toBe(1);
  });

  it('refuses a second upcaster for the same step, naming it', () => {
    expect(() => registry.register('FeeCharged', 1, (d) => d)).toThrow(EventStoreInputError);
    expect(() => registry.register('FeeCharged', 0, (d) => d)).toThrow(/fromVersion/);
  });
});
