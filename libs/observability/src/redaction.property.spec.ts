import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { freeTextArbitrary, identifierValues, patientArbitrary, type GeneratedPatient } from '@yb/testing';
import fc from 'fast-check';
import { createLogger } from './logger';
import { maskIdentifiersInText } from './patient-identifiers';
import { RedactingSpanProcessor } from './redacting-span-processor';

// Generated identifiers (18- and 15-digit ID numbers, mobiles written every way, Chinese names, person numbers,
// birth dates, employers) through the redaction of logs, span attributes and free text: none comes out in clear.

const RUNS = 500;
const runs: Record<string, number> = {};
afterAll(() => console.log(`redaction properties: ${JSON.stringify(runs)}`));

const spans = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(spans))],
});
provider.register();
afterAll(() => provider.shutdown());

const leaks = (text: string, values: string[]) => values.filter((value) => text.includes(value));

/** What an error message quoting a request looks like: the numbers a pattern can find, in platform prose. */
const quoted = (p: GeneratedPatient, words: string) =>
  `${words}${p.certno}${words}，${p.certno15}：${p.mobileWritten}${words}`;

describe('redaction properties', () => {
  it('logs: identifiers under their field names at any depth, and ID and mobile numbers in the message, never in clear', () => {
    const lines: string[] = [];
    const logger = createLogger({
      serviceName: 'property',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    fc.assert(
      fc.property(patientArbitrary, freeTextArbitrary, (p, words) => {
        runs.logs = (runs.logs ?? 0) + 1;
        lines.length = 0;
        logger.warn(
          {
            visit: { person: { psn_name: p.psn_name, psn_no: p.psn_no, brdy: p.brdy, emp_name: p.emp_name } },
            input: { data: [{ certno: p.certno, tel: p.mobileWritten }] },
            err: new Error(quoted(p, words)),
          },
          quoted(p, words),
        );
        const line = lines.join('');
        expect(leaks(line, [...identifierValues(p), p.brdy, p.emp_name])).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('spans: identifier attributes, free-text attributes, exception events and the status, never in clear', () => {
    fc.assert(
      fc.property(patientArbitrary, freeTextArbitrary, (p, words) => {
        runs.spans = (runs.spans ?? 0) + 1;
        spans.reset();
        const span = trace.getTracer('property').startSpan('2401', {
          attributes: { 'patient.certno': p.certno, 'person.psn_no': p.psn_no, brdy: p.brdy },
        });
        span.setAttribute('psn_name', p.psn_name);
        span.setAttribute('nhsa.err_msg', quoted(p, words));
        span.recordException(new Error(quoted(p, words)));
        span.setStatus({ code: 2, message: quoted(p, words) });
        span.end();
        const [exported] = spans.getFinishedSpans();
        const text = JSON.stringify({ a: exported!.attributes, e: exported!.events, s: exported!.status });
        expect(leaks(text, [...identifierValues(p), p.brdy])).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('free text with the patient known: names and person numbers masked too, other words kept', () => {
    fc.assert(
      fc.property(patientArbitrary, freeTextArbitrary, (p, words) => {
        runs.freeText = (runs.freeText ?? 0) + 1;
        const text = `${words}${p.psn_name}${words}（${p.psn_no}）${quoted(p, words)}`;
        const masked = maskIdentifiersInText(text, [p.psn_name, p.psn_no]);
        expect(leaks(masked, identifierValues(p))).toEqual([]);
        expect(masked.replace(/[*\d+ -]/g, '')).toContain(words.replace(/[ ]/g, ''));
      }),
      { numRuns: RUNS },
    );
  });
});
