import { deliveredTraceparent, envelopeSpanContext } from './trace-context';

const ENVELOPE_ID = '7d8e5b1e-2f0a-4c55-9a43-0f6f3d1d2a10';

describe('the context a record is consumed in', () => {
  it('is the producer’s when the record carries a valid traceparent', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(deliveredTraceparent(traceparent, ENVELOPE_ID)).toBe(traceparent);
  });

  it('is derived from the envelope id alone when the producer traces nothing, the same in every process', () => {
    const derived = envelopeSpanContext(ENVELOPE_ID);
    // sha256("yb.envelope:" + id), its first 16 bytes the trace id, the next 8 the parent's span id.
    expect(derived).toEqual({
      traceId: '4d41709be421cc68f3f4bbf706d3a34a',
      spanId: '30c61f720c404746',
      traceFlags: 1,
      isRemote: true,
    });
    for (const missing of [undefined, null, '', 'not-a-traceparent']) {
      expect(deliveredTraceparent(missing, ENVELOPE_ID)).toBe(
        '00-4d41709be421cc68f3f4bbf706d3a34a-30c61f720c404746-01',
      );
    }
    expect(envelopeSpanContext('7d8e5b1e-2f0a-4c55-9a43-0f6f3d1d2a11').traceId).not.toBe(derived.traceId);
  });

  it('has no parent for a record without an envelope (refused at the edge)', () => {
    expect(deliveredTraceparent(undefined, undefined)).toBeUndefined();
  });
});
