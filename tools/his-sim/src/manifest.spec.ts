import { type DataOf } from '@yb/contracts';
import { generateEpisode } from './episode/episode-generator';
import { allocateBeds } from './hospital-timeline';
import { PublishedVisits } from './manifest';

describe('PublishedVisits', () => {
  it('adds up the settlements that stand: the mid-way and the final one, a cancelled one asked again once', () => {
    // Stay 400 of seed 7 in a 200-bed hospital has a mid-way settlement and a cancelled discharge settlement.
    const beds = allocateBeds(200);
    const episode = generateEpisode({
      seed: 7,
      index: 400,
      department: beds[400 % beds.length]!.department,
      bedNo: 3,
      admittedAt: Date.parse('2024-05-01T10:15:00+08:00'),
      visitPrefix: 'ZYTEST',
    });
    const requests = episode.messages
      .filter((m) => m.envelope.type === 'SettlementRequested')
      .map((m) => m.envelope.data as DataOf<'SettlementRequested'>);
    expect(requests.map((r) => r.mid_setl_flag)).toEqual(['1', '0', '0']);
    const visits = new PublishedVisits();
    episode.messages.forEach((m, i) =>
      visits.add(m, episode.department.code, i === episode.messages.length - 1),
    );
    const [visit] = visits.records();
    expect(visit).toMatchObject({
      medfee_sumamt: episode.medfee_sumamt,
      settlement_requested_sumamt: episode.medfee_sumamt,
      complete: true,
    });
    // Each request alone is less than the stay: the sum is what stands.
    for (const r of requests) expect(r.medfee_sumamt).not.toBe(episode.medfee_sumamt);
  });
});
