import { MessageHeaders } from '@yb/contracts';
import { headersAsText } from '@yb/messaging';
import { maskIdentifiersInText } from '@yb/observability';
import { maskedPayload, type DeadLetter, type Replay } from '@yb/service-runtime';

/** What was done with a dead letter, in a few words. */
export function dispositionText(replay: Replay | undefined): string {
  if (!replay) return 'not replayed';
  const when = replay.replayedAt.toISOString();
  return replay.action === 'resolved'
    ? `resolved by ${replay.replayedBy} ${when}: ${maskIdentifiersInText(replay.note ?? '')}`
    : `replayed by ${replay.replayedBy} ${when} as ${replay.partition}:${replay.offset}`;
}

/** One line per dead letter for `list`: where, when, which group, attempts, type, visit key, replay, reason. */
export function listLine({ deadLetter: d, replay }: { deadLetter: DeadLetter; replay?: Replay }): string {
  const type = headersAsText(d.originalHeaders)[MessageHeaders.messageType] ?? '-';
  const size = d.payloadLocation ? ` [payload ${d.payloadBytes} bytes at ${d.payloadLocation}]` : '';
  return [
    `${d.partition}:${d.offset}`,
    d.failedAt,
    d.consumerGroup,
    `attempts ${d.attempts}`,
    type,
    d.key?.toString('utf8') ?? '-',
    dispositionText(replay),
    // The reason may quote a request or an answer: ID and mobile numbers in it are masked.
    `${maskIdentifiersInText(d.reason)}${size}`,
  ].join('\t');
}

/** `show`'s text: the dead letter's headers and its payload, patient identifiers masked. */
export function showText(deadLetter: DeadLetter, payload: Buffer | null, replay?: Replay): string {
  const headers = Object.entries(headersAsText(deadLetter.originalHeaders)).map(([k, v]) => `  ${k}: ${v}`);
  return [
    `dead letter ${deadLetter.partition}:${deadLetter.offset}`,
    `  original: ${deadLetter.originalTopic} ${deadLetter.originalPartition}:${deadLetter.originalOffset}`,
    `  key: ${deadLetter.key?.toString('utf8') ?? '-'}`,
    `  consumer group: ${deadLetter.consumerGroup}, attempts ${deadLetter.attempts}, failed at ${deadLetter.failedAt}`,
    `  reason: ${maskIdentifiersInText(deadLetter.reason)}`,
    ...(deadLetter.payloadLocation
      ? [`  payload kept at ${deadLetter.payloadLocation} (${deadLetter.payloadBytes} bytes)`]
      : []),
    ...(deadLetter.sealedWith ? [`  payload sealed on the topic under key "${deadLetter.sealedWith}"`] : []),
    `  ${dispositionText(replay)}`,
    'headers:',
    ...headers,
    'payload (patient identifiers masked):',
    maskedPayload(payload),
  ].join('\n');
}
