import { businessDate, dueSlot } from './schedule-slots';

// The services' schedules (reporting's uploads, catalogue's downloads): which slot is owed, on which day.
describe('schedule slots', () => {
  const TZ = 'Asia/Shanghai';

  it('owes the 02:00 Beijing slot once it has passed since the last run', () => {
    // 2024-05-09 02:00 in Beijing is 2024-05-08 18:00 UTC.
    const lastRun = new Date('2024-05-07T18:00:00Z');
    expect(dueSlot('0 2 * * *', TZ, lastRun, new Date('2024-05-08T17:59:00Z'))).toBeNull();
    expect(dueSlot('0 2 * * *', TZ, lastRun, new Date('2024-05-08T18:00:00Z'))).toEqual(
      new Date('2024-05-08T18:00:00Z'),
    );
  });

  it('runs a missed slot after a restart, several missed slots as one run', () => {
    const lastRun = new Date('2024-05-05T18:00:00Z');
    expect(dueSlot('0 2 * * *', TZ, lastRun, new Date('2024-05-08T20:00:00Z'))).toEqual(
      new Date('2024-05-08T18:00:00Z'),
    );
  });

  it('owes nothing when the last run covered the latest slot, or came after it', () => {
    const slot = new Date('2024-05-08T18:00:00Z');
    expect(dueSlot('0 2 * * *', TZ, slot, new Date('2024-05-09T10:00:00Z'))).toBeNull();
    expect(
      dueSlot('0 2 * * *', TZ, new Date('2024-05-08T20:00:00Z'), new Date('2024-05-09T09:00:00Z')),
    ).toBeNull();
  });

  it('takes the business day in the schedule’s time zone', () => {
    expect(businessDate(new Date('2024-05-08T18:00:00Z'), TZ)).toBe('2024-05-09');
    expect(businessDate(new Date('2024-05-08T18:00:00Z'), 'UTC')).toBe('2024-05-08');
  });
});
