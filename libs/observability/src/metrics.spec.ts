import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('exposes the common metrics in Prometheus text, in a registry of its own', async () => {
    const metrics = createMetrics('settlement', { defaultMetrics: false });
    metrics.observePlatformCall('2304', 'unknown', 12.5);
    metrics.deadLetters.inc({ topic: 'his.inpatient', reason: 'invalid' });
    metrics.sagasByState.set({ saga: 'discharge-settlement', state: 'AWAITING_AUDIT' }, 2);
    metrics.outboxBacklog.set(3);
    metrics.consumerLag.set({ topic: 'his.inpatient', partition: '0' }, 7);
    const text = await metrics.metricsText();
    expect(text).toContain('yb_platform_calls_total{infno="2304",outcome="unknown",service="settlement"} 1');
    expect(text).toContain(
      'yb_platform_call_duration_seconds_bucket{le="30",service="settlement",infno="2304",outcome="unknown"} 1',
    );
    expect(text).toContain(
      'yb_platform_call_duration_seconds_bucket{le="60",service="settlement",infno="2304",outcome="unknown"} 1',
    );
    expect(text).toContain(
      'yb_dead_letters_total{topic="his.inpatient",reason="invalid",service="settlement"} 1',
    );
    expect(text).toContain(
      'yb_sagas_by_state{saga="discharge-settlement",state="AWAITING_AUDIT",service="settlement"} 2',
    );
    expect(text).toContain('yb_outbox_backlog{service="settlement"} 3');
    expect(text).toContain(
      'yb_kafka_consumer_lag{topic="his.inpatient",partition="0",service="settlement"} 7',
    );
    expect(await createMetrics('other', { defaultMetrics: false }).metricsText()).not.toContain('2304');
  });
});
