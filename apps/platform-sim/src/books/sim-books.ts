import { isDeepStrictEqual } from 'node:util';
import { Logger } from '@nestjs/common';
import type { LedgerAnswer, LedgerEntry, LedgerJournal } from '../ledger/ledger-journal';
import type { SimLedger } from '../ledger/sim-ledger';
import type { SimBooksOptions } from './books-config';
import { TransactionLog, type LoggedEntry } from './transaction-log';

/** Recorded answers differ from what the current rules answer: the books were written under other rules. */
export class ReplayMismatchError extends Error {
  override readonly name = 'ReplayMismatchError';
}

/** The books cannot take a transaction now (the log could not be written; they are being read back). */
export class BooksUnavailableError extends Error {
  override readonly name = 'BooksUnavailableError';
}

const RECOVERY_RETRY_MS = 1_000;
const MISMATCHES_SHOWN = 3;

/**
 * The sandbox's memory: the ledger's entries appended to a PostgreSQL log before any answer leaves, and the
 * ledger rebuilt at start by replaying the log through the same rules with the recorded instants.
 *
 * The ledger decides synchronously and hands each entry to `record`; the caller then awaits `durable()`
 * before it answers. Entries recorded meanwhile are written together (group commit), in order, in one
 * transaction. If a write fails, nothing decided since the last write is answered: the books stop taking
 * transactions, rebuild the ledger from the log (which holds exactly what was answered), and take them again.
 */
export class SimBooks implements LedgerJournal {
  private readonly logger = new Logger('SimBooks');
  private log: TransactionLog | undefined;
  private queue: LoggedEntry[] = [];
  private waiters: { seq: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  private lastSeq = 0;
  private writtenSeq = 0;
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly ledger: SimLedger,
    private readonly options: SimBooksOptions,
  ) {}

  /** Opens the schema's log, replays it into the ledger (refusing rules that answer differently) and journals. */
  static async open(ledger: SimLedger, options: SimBooksOptions): Promise<SimBooks> {
    const books = new SimBooks(ledger, options);
    const log = await TransactionLog.open(options);
    try {
      await books.rebuildFrom(log);
    } catch (err) {
      await log.close();
      throw err;
    }
    books.log = log;
    ledger.keepJournal(books);
    return books;
  }

  get schema(): string {
    return this.options.schema;
  }

  /** False while the books are being read back after a failed write: take no transaction then. */
  get accepting(): boolean {
    return this.log !== undefined && !this.closed;
  }

  record(entry: LedgerEntry): void {
    if (!this.accepting)
      throw new BooksUnavailableError('platform-sim: the books are not taking transactions');
    this.queue.push({ ...entry, seq: ++this.lastSeq });
    this.write();
  }

  /** Resolves once every entry recorded so far is in the log; rejects if writing one of them failed. */
  durable(): Promise<void> {
    const seq = this.lastSeq;
    if (seq <= this.writtenSeq) return Promise.resolve();
    // Being read back (or closed): what was recorded and not written is lost, never to be answered.
    if (!this.log)
      return Promise.reject(new BooksUnavailableError('platform-sim: the books are being read back'));
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** `POST /sim/reset`: the ledger back to its seeded state, and the log emptied but for the serial. */
  async reset(at = new Date()): Promise<void> {
    if (!this.accepting) throw new BooksUnavailableError('platform-sim: the books are being read back');
    this.ledger.reset();
    this.record({ kind: 'reset', at, serial: this.ledger.serial });
    await this.durable();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.durable().catch(() => undefined);
    this.closed = true;
    await this.log?.close();
    this.log = undefined;
  }

  private write(): void {
    const log = this.log;
    if (this.writing || this.queue.length === 0 || !log) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = log.append(batch).then(
      () => {
        this.writing = undefined;
        this.writtenSeq = batch[batch.length - 1]!.seq;
        this.settleWaiters();
        this.write();
      },
      (err: unknown) => {
        this.writing = undefined;
        void this.recover(log, err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private settleWaiters(failure?: Error): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (failure) waiter.reject(failure);
      else if (waiter.seq <= this.writtenSeq) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  /** A write failed: answer none of the unwritten entries, and rebuild the ledger from what the log holds. */
  private async recover(failed: TransactionLog, err: Error): Promise<void> {
    this.log = undefined;
    this.queue = [];
    this.settleWaiters(
      new BooksUnavailableError(`platform-sim: the books could not be written: ${err.message}`),
    );
    this.logger.error(`writing the books failed (${err.message}); reading them back from "${this.schema}"`);
    await failed.close();
    while (!this.closed) {
      let log: TransactionLog | undefined;
      try {
        log = await TransactionLog.open(this.options);
        await this.rebuildFrom(log);
        if (this.closed) return await log.close();
        this.log = log;
        this.logger.warn(`books read back from "${this.schema}"; taking transactions again`);
        return;
      } catch (retryErr) {
        await log?.close();
        this.logger.error(`reading the books back failed: ${(retryErr as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RECOVERY_RETRY_MS));
      }
    }
  }

  /** Replays the log into a fresh ledger (serial from 0), checking each answer against the recorded one. */
  private async rebuildFrom(log: TransactionLog): Promise<void> {
    const started = Date.now();
    const entries = await log.entries();
    this.ledger.reset(0);
    const mismatches: string[] = [];
    let highestSerial = 0;
    for (const entry of entries) {
      const replayed = this.ledger.replay(entry);
      const differs =
        (entry.kind === 'decision' && !sameAnswer(entry.answer, replayed)) ||
        this.ledger.serial !== entry.serial;
      if (differs) mismatches.push(describeMismatch(entry, replayed, this.ledger.serial));
      highestSerial = Math.max(highestSerial, entry.serial);
    }
    // Never issue an id again, even when the current rules issued fewer than the recorded ones.
    this.ledger.continueSerialFrom(highestSerial);
    this.lastSeq = this.writtenSeq = entries.at(-1)?.seq ?? 0;
    if (mismatches.length > 0) {
      const message =
        `platform-sim: ${mismatches.length} of the ${entries.length} transactions recorded in schema ` +
        `"${this.schema}" answer differently under the current rules (the rules or the sandbox's settings ` +
        `changed since they were recorded); first: ${mismatches.slice(0, MISMATCHES_SHOWN).join('; ')}`;
      if (!this.options.acceptReplayMismatch)
        throw new ReplayMismatchError(
          `${message}. Reset the books (POST /sim/reset, or npm start -- --reset), start with the settings they ` +
            'were recorded with, or set PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH=true to go on with the replayed state',
        );
      this.logger.warn(`${message}; going on with the replayed state (PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH)`);
    }
    this.logger.log(
      `books of schema "${this.schema}": ${entries.length} entries replayed in ${Date.now() - started} ms`,
    );
  }
}

/** Equal as JSON: what the client received, whatever the key order or the number objects behind it. */
function sameAnswer(recorded: LedgerAnswer, replayed: LedgerAnswer | undefined): boolean {
  return isDeepStrictEqual(recorded, asJson(replayed));
}

function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function describeMismatch(entry: LoggedEntry, replayed: LedgerAnswer | undefined, serial: number): string {
  const what = entry.kind === 'reset' ? 'reset' : `msgid ${entry.request.msgid} (${entry.request.infno})`;
  if (entry.kind === 'decision' && !sameAnswer(entry.answer, replayed)) {
    const [before, now] = [summary(entry.answer), summary(replayed)];
    return before === now ? `${what}: ${now} with another output` : `${what}: recorded ${before}, now ${now}`;
  }
  return `${what}: serial recorded ${entry.serial}, now ${serial}`;
}

/** The outcome without the output's content (it may hold a patient's identifiers). */
function summary(answer: LedgerAnswer | undefined): string {
  if (!answer) return 'nothing';
  return answer.infcode === 0 ? 'success' : `refusal "${answer.err_msg}"`;
}
