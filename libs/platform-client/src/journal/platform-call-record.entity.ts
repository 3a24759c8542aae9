import 'reflect-metadata';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RequestEnvelope, ResponseEnvelope } from '../envelope';

/**
 * PENDING before the send; SUCCEEDED / REJECTED / UNKNOWN after it; REVERSING → REVERSED or REVERSAL_REFUSED
 * for 2601; RESOLVING → RESOLVED when a caller's resolver settled an UNKNOWN call that 2601 cannot reverse.
 */
export type JournalStatus =
  | 'PENDING'
  | 'SUCCEEDED'
  | 'REJECTED'
  | 'UNKNOWN'
  | 'REVERSING'
  | 'REVERSED'
  | 'REVERSAL_REFUSED'
  | 'RESOLVING'
  | 'RESOLVED';

/** What a resolver found out about an UNKNOWN call: it took effect, did not, or was undone explicitly. */
export interface CallResolution {
  outcome: 'APPLIED' | 'NOT_APPLIED' | 'UNDONE';
  /** The msgid of the explicit undo (2302/2404/2405 …) or query, when one was sent. */
  msgid?: string;
  note?: string;
}

/**
 * One platform call (one msgid). Lives in the calling service's own schema: the DataSource's `schema`
 * option decides where, so the entity names none.
 */
@Entity({ name: 'platform_call_journal' })
@Index('platform_call_journal_status_idx', ['status', 'updatedAt'])
@Index('platform_call_journal_visit_idx', ['visitKey'])
export class PlatformCallRecord {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  msgid!: string;

  /** Shared by the attempts of one logical call (each attempt has its own msgid). */
  @Column({ name: 'call_id', type: 'uuid' })
  callId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 6 })
  infno!: string;

  /** Sealed at rest like request and response (2601 sends it back); opened by PlatformCallJournal. */
  @Column({ type: 'jsonb', nullable: true })
  psn_no!: string | null;

  @Column({ name: 'visit_key', type: 'varchar', length: 100 })
  visitKey!: string;

  /** The caller's key of the logical request (CallOptions.requestKey), when it gave one. */
  @Column({ name: 'request_key', type: 'varchar', length: 200, nullable: true })
  requestKey!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: JournalStatus;

  /**
   * The envelope as built, before SM4 (the payload must be readable to resolve the call). At rest it is sealed
   * (AES-256-GCM, @yb/sealing's Keyring) and so are the answer, psn_no and the texts: read rows through
   * PlatformCallJournal.
   */
  @Column({ type: 'jsonb' })
  request!: RequestEnvelope;

  @Column({ type: 'jsonb', nullable: true })
  response!: ResponseEnvelope | null;

  /**
   * The journal key that sealed every sealed column (request, response, psn_no and the three texts); null when
   * one is clear or they are sealed under different keys.
   */
  @Column({ name: 'sealed_with', type: 'varchar', length: 32, nullable: true })
  sealedWith!: string | null;

  @Column({ type: 'integer', nullable: true })
  infcode!: number | null;

  /** The platform's refusal, masked as it was read (call-outcome) and sealed at rest: it may quote a name. */
  @Column({ type: 'jsonb', nullable: true })
  err_msg!: string | null;

  /** Why the outcome is UNKNOWN (timeout, reset, HTTP 5xx, unverifiable answer, interrupted); sealed at rest. */
  @Column({ name: 'unknown_reason', type: 'jsonb', nullable: true })
  unknownReason!: string | null;

  /** The msgid of the latest 2601 sent for this call. */
  @Column({ name: 'reversal_msgid', type: 'varchar', length: 30, nullable: true })
  reversalMsgid!: string | null;

  /** The platform's refusal text when 2601 was refused; masked and sealed like err_msg. */
  @Column({ name: 'reversal_err_msg', type: 'jsonb', nullable: true })
  reversalErrMsg!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  resolution!: CallResolution | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
