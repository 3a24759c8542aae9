import { join } from 'node:path';
import { buildAsyncApiDocument } from './asyncapi';
import { type JsonSchema } from './json-schema';
import { HIS_TOPICS } from './registry';
import { Topics } from './topics';

/** Where the committed AsyncAPI document lives. */
export const ASYNCAPI_DOCUMENT_PATH = join(__dirname, '../../../docs/asyncapi/asyncapi.json');
/** The HIS vendors' walk-through, whose example records and result list are generated. */
export const HIS_INTEGRATION_PATH = join(__dirname, '../../../docs/his-integration.md');

/** The document as JSON text (the generation script formats it with prettier before writing). */
export function renderAsyncApiDocument(): string {
  return `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
}

interface MessageExample {
  headers: Record<string, string>;
  payload: { key: string };
}

interface DocumentedMessage {
  name: string;
  title: string;
  summary: string;
  examples: MessageExample[];
}

function messagesOn(document: JsonSchema, topic: string): DocumentedMessage[] {
  const channels = document.channels as Record<string, Record<string, { message: JsonSchema }>>;
  const operation = channels[topic]!.publish ?? channels[topic]!.subscribe!;
  const refs = (operation.message.oneOf ?? [operation.message]) as { $ref: string }[];
  const messages = (document.components as { messages: Record<string, DocumentedMessage> }).messages;
  return refs.map(({ $ref }) => messages[$ref.split('/').pop()!]!);
}

/**
 * One line of `kafka-console-producer.sh --property parse.key=true --property parse.headers=true`:
 * `name:value,…<TAB>key<TAB>value` (the tool's default separators; no header value holds ',' or ':').
 */
export function consoleProducerLine(example: MessageExample): string {
  const headers = Object.entries(example.headers)
    .map(([name, value]) => `${name}:${value}`)
    .join(',');
  return `${headers}\t${example.payload.key}\t${JSON.stringify(example.payload)}`;
}

const RECORDS_START = '<!-- generated: example records (libs/contracts/scripts/generate-asyncapi.ts) -->';
const RECORDS_END = '<!-- end of generated example records -->';
const RESULTS_START = '<!-- generated: result messages (libs/contracts/scripts/generate-asyncapi.ts) -->';
const RESULTS_END = '<!-- end of generated result messages -->';

/** The newest version of each message type on the topic: what a HIS sends today. */
function newestOn(document: JsonSchema, topic: string): DocumentedMessage[] {
  const messages = messagesOn(document, topic);
  const version = (m: DocumentedMessage) => Number(m.name.split('.v').pop());
  const type = (m: DocumentedMessage) => m.name.split('.v')[0];
  return messages.filter(
    (m) => !messages.some((other) => type(other) === type(m) && version(other) > version(m)),
  );
}

function recordsSection(document: JsonSchema): string {
  return [...HIS_TOPICS]
    .flatMap((topic) => [
      `### On \`${topic}\``,
      '',
      ...newestOn(document, topic).flatMap((message) => [
        `#### ${message.title}`,
        '',
        message.summary,
        '',
        '```text',
        consoleProducerLine(message.examples[0]!),
        '```',
        '',
      ]),
    ])
    .join('\n');
}

function resultsSection(document: JsonSchema): string {
  return [
    '| Message | What it says |',
    '| --- | --- |',
    ...newestOn(document, Topics.insuranceInpatient).map(
      (message) => `| \`${message.name}\` | ${message.summary.replace(/\|/g, '\\|')} |`,
    ),
  ].join('\n');
}

function replaceBetween(text: string, start: string, end: string, content: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${HIS_INTEGRATION_PATH} has no "${start}" … "${end}" section`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n\n${text.slice(to)}`;
}

/** The walk-through with its generated sections (example records, result messages) rendered afresh. */
export function renderHisIntegration(current: string): string {
  const document = buildAsyncApiDocument();
  const withRecords = replaceBetween(current, RECORDS_START, RECORDS_END, recordsSection(document));
  return replaceBetween(withRecords, RESULTS_START, RESULTS_END, resultsSection(document));
}

/** The example records of the walk-through, by the topic they are shown for. */
export function hisIntegrationRecords(text: string): { topic: string; line: string }[] {
  const records: { topic: string; line: string }[] = [];
  let topic = '';
  for (const block of text.split(/^(### On `[^`]+`|```text\n[^\n]*\n```)$/m)) {
    const heading = /^### On `([^`]+)`$/.exec(block);
    if (heading) topic = heading[1]!;
    const record = /^```text\n([^\n]*)\n```$/.exec(block);
    if (record) records.push({ topic, line: record[1]! });
  }
  return records;
}
