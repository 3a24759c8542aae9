import { createHash, randomUUID } from 'node:crypto';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { assertCallable, findInterface } from './catalogue';
import { classifyAnswer, classifyFailure, type CallOutcome } from './call-outcome';
import type { PlatformClientConfig } from './config';
import { sealEnvelope } from './crypto/envelope-seal';
import { buildRequestEnvelope, findPsnNo, type PatientKind, type ResponseEnvelope } from './envelope';
import { PlatformReversalError, PlatformSignInError } from './errors';
import {
  isTypedInfno,
  parseOutput,
  readOutput,
  validateInput,
  type FieldProblem,
  type InterfaceOutput,
  type TypedInfno,
  type TypedInterfaces,
} from './interfaces';
import { identifierValuesOf, Keyring } from '@yb/sealing';
import { PlatformCallJournal } from './journal/platform-call-journal';
import type { CallResolution, PlatformCallRecord } from './journal/platform-call-record.entity';
import { MsgidSequence } from './msgid-sequence';
import { SignInSessions, type SigningOperator } from './sign-in-sessions';
import { gatewaySignerFor } from './transport/gateway-signers';
import { HttpTransport } from './transport/http-transport';
import type { PlatformTransport } from './transport/platform-transport';

export interface PlatformClientOptions {
  config: PlatformClientConfig;
  /**
   * The calling service's DataSource: its `schema` holds the journal, so it must list PlatformCallRecord in
   * `entities` and PLATFORM_CLIENT_MIGRATIONS in `migrations`.
   */
  dataSource: DataSource;
  /** Defaults to HttpTransport built from the configuration (gateway signer included). */
  transport?: PlatformTransport;
  /** Clock for msgid, inf_time and the sign-in day. */
  now?: () => Date;
  /** Told of every call's final outcome (after its retries), e.g. to count calls and their latency. */
  onCallSettled?: (call: SettledCall) => void;
}

/** A settled call as metrics and the platform-call report see it: ids and outcome, no patient data. */
export interface SettledCall {
  infno: string;
  status: PlatformCallResult['status'];
  seconds: number;
  /** The msgid of the last attempt. */
  msgid: string;
  /** The call's CallOptions.visitKey (the HIS visit, ipt_no). */
  visitKey: string;
  /** The platform's err_msg (REJECTED) or the transport failure (UNKNOWN). */
  err_msg?: string;
}

export interface CallOptions {
  /** The HIS visit (ipt_no) the call belongs to; every journal row carries one. */
  visitKey: string;
  /** For the journal; found in the input when omitted. */
  psn_no?: string;
  /**
   * The patient's identifiers the input does not carry (their name: 2401 sends none), so that the platform's
   * err_msg quoting them is masked as well as the input's own identifiers and any ID or mobile number.
   */
  patientIdentifiers?: readonly string[];
  /** 参保地医保区划, required whenever the input carries psn_no. */
  insuplc_admdvs?: string;
  /** The patient's insutype / psn_type: picks recer_sys_code of a person-related interface (离休, 工伤 …). */
  patientKind?: PatientKind;
  /** Another operator than the configured one (signed in on first use). */
  operator?: SigningOperator;
  /**
   * The caller's stable key of one logical request (e.g. the visit's request number). A call whose key the
   * journal already holds is not sent again: it is answered from the journal, an interrupted attempt as
   * UNKNOWN, so a crash between the platform's answer and the caller's record never sends twice. The caller
   * must not run two calls with one key at once (a per-visit lock does it); a retry wanting a new send needs a
   * new key.
   */
  requestKey?: string;
}

interface ResultBase {
  infno: string;
  /** The msgid of the last attempt (the one the outcome belongs to). */
  msgid: string;
  attempts: number;
}
export type PlatformCallResult<O = unknown> =
  | (ResultBase & { status: 'SUCCEEDED'; infcode: number; output: O; warn_msg: string | null })
  /**
   * The platform applied the call (infcode 0, journaled SUCCEEDED) but its answer lacks a field the business
   * needs: `output` is the raw answer and `problems` name what is missing. Never retried or reversed by the
   * client; the caller records the call as applied and hands it to a person with the raw answer.
   */
  | (ResultBase & {
      status: 'APPLIED_UNREADABLE';
      infcode: number;
      output: unknown;
      problems: readonly FieldProblem[];
      warn_msg: string | null;
    })
  | (ResultBase & { status: 'REJECTED'; infcode: number; err_msg: string })
  | (ResultBase & { status: 'UNKNOWN'; reason: string });

/** 9102's answer: the file's bytes, or the platform's refusal, or no answer. */
export type FileDownloadResult =
  | { status: 'FILE'; msgid: string; bytes: Buffer }
  | { status: 'REJECTED'; msgid: string; infcode: number; err_msg: string }
  | { status: 'UNKNOWN'; msgid: string; reason: string };
/**
 * The result of a typed interface's call, one member per interface with its infno as a literal: a call with
 * a union of infnos (`'2303' | '2304'`) still lets a switch on `infno` narrow `output` to that interface's
 * parsed output, which the client read once against the interface's schema.
 */
export type TypedCallResult<I extends TypedInfno> = {
  [K in I]: PlatformCallResult<InterfaceOutput<K>> & { infno: K };
}[I];

export interface ReversalResult {
  /** The reversed call. */
  msgid: string;
  reversalMsgid: string;
  /** REVERSED: 2601 succeeded; REVERSAL_REFUSED: a person must act; UNKNOWN: 2601's outcome is unknown too. */
  status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN';
  err_msg?: string;
}

/** Settles an UNKNOWN call 2601 cannot reverse: explicit undo (2302/2404/2405 …) or a query. */
export type CallResolver = (call: PlatformCallRecord) => Promise<CallResolution>;

export interface RecoveryEntry {
  msgid: string;
  infno: string;
  action: 'reversal' | 'resolver';
  result: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN' | 'RESOLVED' | 'FAILED';
  error?: string;
}

/** One attempt of a call, as send() journals and sends it. */
type Attempt = CallOptions & { operator: SigningOperator; callId: string; attempt: number };

/** An attempt sent: its msgid and outcome (and a 9102's file). */
interface Sent {
  msgid: string;
  outcome: CallOutcome;
  file?: Buffer;
}

const SIGN_IN = '9001';
const SIGN_OUT = '9002';
const REVERSAL = '2601';

/**
 * The hospital's side of the platform: builds and journals every envelope, signs in, sends, classifies the
 * answer, reverses with 2601 and recovers after a crash. Callers branch on the result's status; only a
 * programming or input error throws.
 */
export class PlatformClient {
  private readonly journal: PlatformCallJournal;
  private readonly cipher: Keyring;
  private readonly msgids: MsgidSequence;
  private readonly transport: PlatformTransport;
  private readonly sessions: SignInSessions;
  private readonly now: () => Date;
  private readonly tracer = trace.getTracer('platform-client');

  constructor(private readonly options: PlatformClientOptions) {
    const { config, dataSource } = options;
    this.now = options.now ?? (() => new Date());
    this.cipher = Keyring.fromEnv();
    this.journal = new PlatformCallJournal(dataSource, this.cipher);
    this.msgids = new MsgidSequence(dataSource, config.fixmedins_code, config.msgidSchema, this.now);
    this.transport =
      options.transport ??
      new HttpTransport({
        baseUrl: config.baseUrl,
        endpointMode: config.endpointMode,
        servicePaths: config.servicePaths,
        signer: gatewaySignerFor(config.gateway),
      });
    this.sessions = new SignInSessions((operator) => this.signIn(operator), this.now);
  }

  private get config(): PlatformClientConfig {
    return this.options.config;
  }

  private get defaultOperator(): SigningOperator {
    return this.config.operator;
  }

  /** Prepares the msgid counter and signs the configured operator in (9001). */
  async start(): Promise<void> {
    if (!this.cipher.sealing) {
      process.emitWarning(
        'NHSA_JOURNAL_KEYS is not set: patient data at rest (the platform call journal, the event store, kept dead-letter payloads) stays in clear; set it outside development',
        { code: 'YB_JOURNAL_IN_CLEAR' },
      );
    }
    await this.msgids.ensureTable();
    await this.sessions.signNo(this.defaultOperator);
  }

  /** Signs every signed-in operator out (9002). */
  async stop(): Promise<void> {
    for (const { operator, sign_no } of this.sessions.takeAll()) {
      await this.send(
        SIGN_OUT,
        { signOut: { sign_no, opter_no: operator.opter } },
        this.operatorCall(operator),
        sign_no,
      );
    }
  }

  /**
   * Deletes up to `limit` journal rows of calls settled more than `retentionDays` ago; returns how many. On the
   * pass's last batch it also seals again up to `limit` rows still clear or under an older key (key rotation).
   */
  async pruneJournal(retentionDays: number, limit: number): Promise<number> {
    const deleted = await this.journal.pruneSettled(retentionDays, limit);
    if (deleted < limit) await this.journal.reseal(limit);
    return deleted;
  }

  /** The journal row of a call, e.g. to show its outcome or decide on a resolution. */
  journalEntry(msgid: string): Promise<PlatformCallRecord | null> {
    return this.journal.find(msgid);
  }

  call<I extends TypedInfno>(
    infno: I,
    input: TypedInterfaces[I]['input'],
    options: CallOptions,
  ): Promise<TypedCallResult<I>>;
  call(infno: string, input: unknown, options: CallOptions): Promise<PlatformCallResult>;
  /** Any catalogue interface; the input is validated when the interface has a schema. */
  async call(infno: string, input: unknown, options: CallOptions): Promise<PlatformCallResult> {
    const policy = this.config.callPolicies[infno] ?? {};
    const entry = assertCallable(infno, {
      allowClosedInHubei: policy.allowClosedInHubei ?? false,
      allowUnknown: policy.allowUnknown ?? false,
    });
    const validated = isTypedInfno(infno) ? validateInput(infno, input) : input;
    const operator = options.operator ?? this.defaultOperator;
    const maxAttempts = policy.maxAttempts ?? 1;
    const callId = randomUUID();

    return this.tracer.startActiveSpan(`platform.call ${infno}`, async (span) => {
      const started = Date.now();
      span.setAttribute('nhsa.infno', infno);
      try {
        let attempt = 0;
        let signInRenewed = false;
        for (;;) {
          attempt += 1;
          const sign_no = await this.sessions.signNo(operator);
          const sent = await this.send(infno, validated, { ...options, operator, callId, attempt }, sign_no, {
            // The call's first attempt under a request key the journal holds already is not sent again.
            unlessRequestSent: attempt === 1 && options.requestKey !== undefined,
          });
          if ('sentBefore' in sent) {
            span.setAttribute('nhsa.replayed', true);
            // The recorded outcome, read as on the first answer: an unreadable one stays APPLIED_UNREADABLE.
            const result = readAnswer(await this.replay(sent.sentBefore));
            this.describe(span, result);
            return result;
          }
          const { msgid, outcome } = sent;
          const result = readAnswer(this.toResult(infno, msgid, attempt, outcome));

          if (
            outcome.status === 'REJECTED' &&
            !signInRenewed &&
            this.config.signInRequiredPattern.test(outcome.err_msg)
          ) {
            // The platform no longer knows our sign_no: the call had no effect, so sign in and resend.
            signInRenewed = true;
            this.sessions.invalidate(operator.opter, sign_no);
            continue;
          }
          if (outcome.status === 'UNKNOWN' && attempt < maxAttempts) {
            if (policy.resendWhenUnknown) continue;
            if (entry.reversibleBy2601 && (await this.reversedBeforeRetry(msgid))) continue;
          }
          this.describe(span, result);
          this.options.onCallSettled?.({
            infno,
            status: result.status,
            seconds: (Date.now() - started) / 1000,
            msgid: result.msgid,
            visitKey: options.visitKey,
            ...(result.status === 'REJECTED' && { err_msg: result.err_msg }),
            ...(result.status === 'UNKNOWN' && { err_msg: result.reason }),
          });
          return result;
        }
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
        throw err;
      } finally {
        span.setAttribute('nhsa.duration_ms', Date.now() - started);
        span.end();
      }
    });
  }

  /**
   * 9102 文件下载 (spec part 2 §4.2): the file a 13xx / 3202 / 9101 answer names. The journal keeps the call and the
   * file's size and SHA-256, not its bytes (catalogue files are large); the caller stores what it needs.
   */
  async downloadFile(
    input: { file_qury_no: string; filename: string; fixmedins_code: string },
    options: CallOptions,
  ): Promise<FileDownloadResult> {
    assertCallable('9102', { allowClosedInHubei: false, allowUnknown: false });
    const validated = validateInput('9102', { fsDownloadIn: input });
    const operator = options.operator ?? this.defaultOperator;
    const sign_no = await this.sessions.signNo(operator);
    const { msgid, outcome, file } = await this.send(
      '9102',
      validated,
      { ...options, operator, callId: randomUUID(), attempt: 1 },
      sign_no,
    );
    if (file && outcome.status === 'SUCCEEDED') return { status: 'FILE', msgid, bytes: file };
    if (outcome.status === 'REJECTED')
      return { status: 'REJECTED', msgid, infcode: outcome.infcode, err_msg: outcome.err_msg };
    return {
      status: 'UNKNOWN',
      msgid,
      reason: outcome.status === 'UNKNOWN' ? outcome.reason : 'an envelope answered instead of the file',
    };
  }

  /**
   * Sends 2601 for an UNKNOWN call whose interface 2601 can reverse, and records REVERSED or
   * REVERSAL_REFUSED (with the platform's reason) on the original row.
   */
  async reverse(msgid: string): Promise<ReversalResult> {
    const row = await this.journal.find(msgid);
    if (!row) throw new PlatformReversalError(msgid, 'no such call in the journal');
    if (!findInterface(row.infno)?.reversibleBy2601) {
      throw new PlatformReversalError(
        msgid,
        `${row.infno} is not reversible by 2601; use its explicit undo or a query`,
      );
    }
    if ((row.status === 'REVERSED' || row.status === 'REVERSAL_REFUSED') && row.reversalMsgid) {
      // Reversed already (e.g. by a process that died before its caller recorded it): the same answer again.
      return {
        msgid,
        reversalMsgid: row.reversalMsgid,
        status: row.status,
        ...(row.reversalErrMsg ? { err_msg: row.reversalErrMsg } : {}),
      };
    }
    if (row.status !== 'UNKNOWN') {
      throw new PlatformReversalError(msgid, `its outcome is ${row.status}; only UNKNOWN calls are reversed`);
    }
    if (!row.psn_no)
      throw new PlatformReversalError(msgid, 'the journal row has no psn_no, which 2601 requires');
    if (!(await this.journal.claimForReversal(msgid))) {
      throw new PlatformReversalError(msgid, 'another process is reversing or resolving it');
    }
    let reversal: PlatformCallResult;
    try {
      reversal = await this.call(
        REVERSAL,
        { data: { psn_no: row.psn_no, omsgid: msgid, oinfno: row.infno } },
        { visitKey: row.visitKey, psn_no: row.psn_no, insuplc_admdvs: row.request.insuplc_admdvs },
      );
    } catch (err) {
      await this.journal.recordReversal(msgid, { status: 'UNKNOWN', reversalMsgid: row.reversalMsgid ?? '' });
      throw err;
    }
    const status =
      reversal.status === 'SUCCEEDED'
        ? 'REVERSED'
        : reversal.status === 'REJECTED'
          ? 'REVERSAL_REFUSED'
          : 'UNKNOWN';
    const err_msg = reversal.status === 'REJECTED' ? reversal.err_msg : undefined;
    await this.journal.recordReversal(msgid, {
      status,
      reversalMsgid: reversal.msgid,
      ...(err_msg ? { err_msg } : {}),
    });
    return { msgid, reversalMsgid: reversal.msgid, status, ...(err_msg ? { err_msg } : {}) };
  }

  /**
   * Start-up recovery: calls left UNKNOWN, or PENDING by a process that died (untouched for `staleAfterMs`),
   * are reversed with 2601 when their interface allows it and otherwise handed to `resolver`, whose answer is
   * recorded. A failure leaves the row UNKNOWN for the next run; the report lists every row looked at.
   */
  async recover(
    resolver: CallResolver,
    { staleAfterMs = this.longestTimeoutMs() + 60_000 } = {},
  ): Promise<RecoveryEntry[]> {
    const report: RecoveryEntry[] = [];
    for (const row of await this.journal.unsettled(staleAfterMs)) {
      if (row.status !== 'UNKNOWN' && !(await this.journal.markInterrupted(row.msgid, staleAfterMs)))
        continue;
      const { msgid, infno } = row;
      if (findInterface(infno)?.reversibleBy2601) {
        try {
          const reversal = await this.reverse(msgid);
          report.push({ msgid, infno, action: 'reversal', result: reversal.status });
        } catch (err) {
          report.push({ msgid, infno, action: 'reversal', result: 'FAILED', error: (err as Error).message });
        }
        continue;
      }
      if (!(await this.journal.claimForResolution(msgid))) continue;
      try {
        const resolution = await resolver({ ...row, status: 'UNKNOWN' });
        await this.journal.recordResolution(msgid, resolution);
        report.push({ msgid, infno, action: 'resolver', result: 'RESOLVED' });
      } catch (err) {
        await this.journal.releaseResolution(msgid);
        report.push({ msgid, infno, action: 'resolver', result: 'FAILED', error: (err as Error).message });
      }
    }
    return report;
  }

  // A reversal that cannot run (e.g. no psn_no) leaves the call UNKNOWN for the caller, not an exception.
  private async reversedBeforeRetry(msgid: string): Promise<boolean> {
    try {
      return (await this.reverse(msgid)).status === 'REVERSED';
    } catch (err) {
      if (err instanceof PlatformReversalError) return false;
      throw err;
    }
  }

  private async signIn(operator: SigningOperator): Promise<string> {
    const signIn = {
      opter_no: operator.opter,
      ip: operator.ip,
      ...(operator.mac ? { mac: operator.mac } : {}),
    };
    const { msgid, outcome } = await this.send(SIGN_IN, { signIn }, this.operatorCall(operator), '');
    if (outcome.status !== 'SUCCEEDED') {
      const why = outcome.status === 'REJECTED' ? `${outcome.infcode} ${outcome.err_msg}` : outcome.reason;
      throw new PlatformSignInError(
        outcome.status,
        `9001 sign-in of operator ${operator.opter} failed (${outcome.status}, msgid ${msgid}): ${why}`,
      );
    }
    const output = parseOutput(SIGN_IN, outcome.response.output);
    return output.signinoutb.sign_no;
  }

  private operatorCall(operator: SigningOperator) {
    return { visitKey: `operator:${operator.opter}`, operator, callId: randomUUID(), attempt: 1 };
  }

  /**
   * One attempt: msgid, envelope, journal row, send, outcome recorded. With `unlessRequestSent`, the journal's
   * latest attempt under the call's request key, if it holds one, instead (nothing written, nothing sent).
   */
  private send(infno: string, input: unknown, call: Attempt, sign_no: string): Promise<Sent>;
  private send(
    infno: string,
    input: unknown,
    call: Attempt,
    sign_no: string,
    options: { unlessRequestSent: boolean },
  ): Promise<Sent | { sentBefore: PlatformCallRecord }>;
  private async send(
    infno: string,
    input: unknown,
    call: Attempt,
    sign_no: string,
    { unlessRequestSent = false } = {},
  ): Promise<Sent | { sentBefore: PlatformCallRecord }> {
    const { config } = this;
    const msgid = await this.msgids.next();
    const request = buildRequestEnvelope(config, {
      infno,
      msgid,
      input,
      insuplc_admdvs: call.insuplc_admdvs,
      patientKind: call.patientKind,
      sign_no,
      operator: call.operator,
      at: this.now(),
    });
    const sentBefore = await this.journal.recordPending(
      {
        msgid,
        callId: call.callId,
        attempt: call.attempt,
        infno,
        psn_no: call.psn_no ?? findPsnNo(input),
        visitKey: call.visitKey,
        requestKey: call.requestKey,
        request,
      },
      { unlessRequestSent },
    );
    if (sentBefore) return { sentBefore };
    const sealed = sealEnvelope({ ...request }, 'input', config.crypto);
    const timeoutMs = config.callPolicies[infno]?.timeoutMs ?? config.timeoutMs;
    // The patient's identifiers in the request: what the platform's err_msg may quote, masked as it is read.
    const quoting = [
      ...identifierValuesOf(input),
      ...(call.psn_no ? [call.psn_no] : []),
      ...(call.patientIdentifiers ?? []),
    ];
    let outcome: CallOutcome;
    let file: Buffer | undefined;
    try {
      const answer = await this.transport.send({ infno, body: JSON.stringify(sealed), timeoutMs });
      file = answer.file;
      outcome = file
        ? { status: 'SUCCEEDED', infcode: 0, response: { infcode: 0, output: fileSummary(file) } }
        : classifyAnswer(
            answer,
            {
              sm4Key: config.crypto.sm4Key,
              sm2PublicKey: config.crypto.platformSm2PublicKey,
              sm2UserId: config.crypto.sm2UserId,
            },
            quoting,
          );
    } catch (err) {
      outcome = classifyFailure(err, quoting);
    }
    await this.journal.recordOutcome(msgid, outcome);
    return { msgid, outcome, ...(file && { file }) };
  }

  /** The result of a request already sent, as the journal holds it; never sends. */
  private async replay(row: PlatformCallRecord): Promise<PlatformCallResult> {
    if (row.status === 'PENDING') await this.journal.markInterrupted(row.msgid, 0);
    const current = (await this.journal.find(row.msgid)) ?? row;
    const { infno, msgid, attempt } = current;
    if ((current.status === 'SUCCEEDED' || current.status === 'REJECTED') && current.response) {
      const response = current.response;
      const infcode = current.infcode ?? 0;
      return this.toResult(
        infno,
        msgid,
        attempt,
        current.status === 'SUCCEEDED'
          ? { status: 'SUCCEEDED', infcode, response }
          : { status: 'REJECTED', infcode, err_msg: current.err_msg ?? '', response },
      );
    }
    const reason =
      current.status === 'UNKNOWN'
        ? (current.unknownReason ?? 'outcome unknown')
        : `outcome unknown (journal: ${current.status}${current.reversalErrMsg ? `, ${current.reversalErrMsg}` : ''})`;
    return { infno, msgid, attempts: attempt, status: 'UNKNOWN', reason };
  }

  private toResult(infno: string, msgid: string, attempts: number, outcome: CallOutcome): PlatformCallResult {
    const base = { infno, msgid, attempts };
    switch (outcome.status) {
      case 'SUCCEEDED':
        return {
          ...base,
          status: 'SUCCEEDED',
          infcode: outcome.infcode,
          output: outcome.response.output,
          warn_msg: warnOf(outcome.response),
        };
      case 'REJECTED':
        return { ...base, status: 'REJECTED', infcode: outcome.infcode, err_msg: outcome.err_msg };
      case 'UNKNOWN':
        return { ...base, status: 'UNKNOWN', reason: outcome.reason };
    }
  }

  // Only codes and ids: err_msg can quote a patient's name, so it stays out of spans.
  private describe(span: Span, result: PlatformCallResult): void {
    span.setAttribute('nhsa.msgid', result.msgid);
    span.setAttribute('nhsa.outcome', result.status);
    span.setAttribute('nhsa.attempts', result.attempts);
    if (result.status !== 'UNKNOWN') span.setAttribute('nhsa.infcode', result.infcode);
    if (result.status === 'UNKNOWN')
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'outcome unknown' });
    if (result.status === 'APPLIED_UNREADABLE') {
      // Field paths only, never values: they may be patient identifiers.
      span.setAttribute('nhsa.unreadable_fields', result.problems.map((p) => p.field).join(','));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'applied, answer unreadable' });
    }
  }

  private longestTimeoutMs(): number {
    const policies = Object.values(this.config.callPolicies).map((p) => p.timeoutMs ?? 0);
    return Math.max(this.config.timeoutMs, ...policies);
  }
}

/**
 * A typed interface's SUCCEEDED answer read into its typed output; one lacking a field the business needs
 * becomes APPLIED_UNREADABLE with the raw answer, never an exception (the platform applied it).
 */
function readAnswer(result: PlatformCallResult): PlatformCallResult {
  if (result.status !== 'SUCCEEDED' || !isTypedInfno(result.infno)) return result;
  const reading = readOutput(result.infno, result.output);
  return reading.readable
    ? { ...result, output: reading.output }
    : { ...result, status: 'APPLIED_UNREADABLE', problems: reading.problems };
}

/** What the journal keeps of a downloaded file. */
function fileSummary(file: Buffer): { file_bytes: number; sha256: string } {
  return { file_bytes: file.length, sha256: createHash('sha256').update(file).digest('hex') };
}

function warnOf(response: ResponseEnvelope): string | null {
  return typeof response.warn_msg === 'string' ? response.warn_msg : null;
}
