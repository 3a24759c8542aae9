import { Writable } from 'node:stream';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createLogger, PinoNestLogger } from './logger';
import { maskIdentifier, maskPatientIdentifiers } from './patient-identifiers';
import { RedactingSpanProcessor } from './redacting-span-processor';

const CERTNO = '420102199001011234';
const spans = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(spans))],
});
provider.register();
afterAll(() => provider.shutdown());

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ serviceName: 'test', destination }), lines };
}

describe('maskIdentifier', () => {
  it('keeps what a person needs to tell records apart and nothing more', () => {
    expect(maskIdentifier(CERTNO)).toBe('420***********1234');
    expect(maskIdentifier('13812345678')).toBe('138****5678');
    expect(maskIdentifier('张三丰')).toBe('张*丰');
    expect(maskIdentifier('张三')).toBe('张*');
    expect(maskIdentifier('')).toBe('');
  });
});

describe('logs', () => {
  it('never carry a certno or a name in clear, at any depth, and carry the trace ids inside a span', () => {
    const { logger, lines } = capturingLogger();
    let traceId = '';
    let spanId = '';
    trace.getTracer('test').startActiveSpan('admit', (span) => {
      ({ traceId, spanId } = span.spanContext());
      logger.child({ psn_name: '张三丰' }).info(
        {
          visit: {
            ipt_no: 'ZY1',
            patient: { certno: CERTNO, contacts: [{ coner_name: '李四', tel: '13812345678' }] },
          },
        },
        'admitted',
      );
      span.end();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(CERTNO);
    expect(lines[0]).not.toContain('张三丰');
    expect(lines[0]).not.toContain('13812345678');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ trace_id: traceId, span_id: spanId, psn_name: '张*丰', msg: 'admitted' });
    expect(line.visit.patient.certno).toBe('420***********1234');
    expect(line.visit.patient.contacts[0]).toEqual({ coner_name: '李*', tel: '138****5678' });
    expect(line.visit.ipt_no).toBe('ZY1');
  });

  it('masks the patient of a 3101/3102 request (patn_name, brdy) wherever the input sits', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      {
        input: {
          data: { patient_dtos: [{ patn_id: 'P1', patn_name: '陈秀兰', gend: '2', brdy: '1988-04-15' }] },
        },
      },
      '3101 sent',
    );
    expect(lines[0]).not.toContain('陈秀兰');
    expect(lines[0]).not.toContain('1988-04-15');
    expect(JSON.parse(lines[0]).input.data.patient_dtos[0]).toEqual({
      patn_id: 'P1',
      patn_name: '陈*兰',
      gend: '2',
      brdy: '1********5',
    });
  });

  it('masks ID and mobile numbers quoted in a message or an error, and leaves other numbers alone', () => {
    const { logger, lines } = capturingLogger();
    logger.warn(`1101 refused for ${CERTNO}, msgid H42010200123202405081030000007`);
    logger.error({ err: new Error(`2401 failed: tel 13812345678`) }, 'handler failed');
    expect(JSON.parse(lines[0]).msg).toBe(
      '1101 refused for 420***********1234, msgid H42010200123202405081030000007',
    );
    expect(JSON.parse(lines[1]).err.message).toBe('2401 failed: tel 138****5678');
    expect(lines.join('\n')).not.toMatch(/420102199001011234|13812345678/);
  });

  it('has no trace ids outside a span', () => {
    const { logger, lines } = capturingLogger();
    logger.info('idle');
    expect(JSON.parse(lines[0]).trace_id).toBeUndefined();
  });

  it("masks what NestJS's own logger calls pass", () => {
    const { logger, lines } = capturingLogger();
    new PinoNestLogger(logger).log({ certno: CERTNO }, 'AdmissionService');
    expect(JSON.parse(lines[0])).toMatchObject({ certno: '420***********1234', context: 'AdmissionService' });
  });

  it('leaves the original object untouched', () => {
    const original = { certno: CERTNO };
    maskPatientIdentifiers(original);
    expect(original.certno).toBe(CERTNO);
  });
});

describe('span attributes', () => {
  it('never carry a certno in clear, whatever the attribute prefix, events included', () => {
    spans.reset();
    const span = trace
      .getTracer('test')
      .startSpan('2401', { attributes: { 'patient.certno': CERTNO, infno: '2401' } });
    span.setAttribute('mdtrt_cert_no', CERTNO);
    span.addEvent('lookup', { psn_name: '张三丰' });
    span.end();
    const [exported] = spans.getFinishedSpans();
    expect(exported.attributes).toEqual({
      'patient.certno': '420***********1234',
      mdtrt_cert_no: '420***********1234',
      infno: '2401',
    });
    expect(exported.events[0].attributes).toEqual({ psn_name: '张*丰' });
    expect(JSON.stringify(exported.attributes)).not.toContain(CERTNO);
  });

  it('masks ID and mobile numbers quoted in free text: exception events and the status message', () => {
    spans.reset();
    const span = trace.getTracer('test').startSpan('PatientAdmitted process');
    span.recordException(
      new Error(`1101 refused for ${CERTNO} (tel 13812345678), msgid H42010200123202405081030000007`),
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: `handler failed: ${CERTNO}` });
    span.setAttribute('db.statement', 'SELECT 1 FROM events WHERE stream_id = $1');
    span.end();
    const [exported] = spans.getFinishedSpans();
    const text = JSON.stringify({
      events: exported.events,
      status: exported.status,
      attributes: exported.attributes,
    });
    expect(text).not.toContain(CERTNO);
    expect(text).not.toContain('13812345678');
    expect(exported.status.message).toBe('handler failed: 420***********1234');
    expect(exported.events[0].attributes?.['exception.message']).toBe(
      '1101 refused for 420***********1234 (tel 138****5678), msgid H42010200123202405081030000007',
    );
    expect(exported.attributes['db.statement']).toBe('SELECT 1 FROM events WHERE stream_id = $1');
  });
});
