import { dueSlot } from './download-scheduler';

// 02:00 every day, Beijing time (18:00 UTC the day before).
const CRON = '0 2 * * *';
const ZONE = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe("the schedule's due slot", () => {
  it('is the latest occurrence at or before now that is later than the last slot', () => {
    expect(dueSlot(CRON, ZONE, at('2024-05-08T18:00:00Z'), at('2024-05-09T18:00:00Z'))).toEqual(
      at('2024-05-09T18:00:00Z'),
    );
  });

  it('is none when the latest occurrence is the last slot taken, or before it', () => {
    expect(dueSlot(CRON, ZONE, at('2024-05-09T18:00:00Z'), at('2024-05-10T17:59:59Z'))).toBeNull();
    expect(dueSlot(CRON, ZONE, at('2024-05-09T20:00:00Z'), at('2024-05-10T09:00:00Z'))).toBeNull();
  });

  it('makes several slots missed while the service was down one', () => {
    expect(dueSlot(CRON, ZONE, at('2024-05-01T18:00:00Z'), at('2024-05-09T19:00:00Z'))).toEqual(
      at('2024-05-09T18:00:00Z'),
    );
  });
});
