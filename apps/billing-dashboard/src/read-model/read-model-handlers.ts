import { type DataOf } from '@yb/contracts';
import { type EntityManager } from 'typeorm';
import {
  type OPERATOR_ACTION_REQUESTED,
  type OperatorActionRequested,
  type RecordedMessageType,
} from './recorded-messages';

/** Every event type the dashboard projects: the recorded messages and its own operator actions. */
export type ProjectedType = RecordedMessageType | typeof OPERATOR_ACTION_REQUESTED;
export type ProjectedData<T extends ProjectedType> = T extends RecordedMessageType
  ? DataOf<T>
  : OperatorActionRequested;

/** What a read model's handler gets beside the event's data: the batch's transaction and where the event sits. */
export interface ApplyContext {
  readonly m: EntityManager;
  /** When it happened (the message's occurred_at, else when it was recorded). */
  readonly at: string;
  /** Its global position: the key of rows written once per event (the timeline). */
  readonly position: string;
  /** Tells the live view that `model` changed (and for which visit). */
  changed(model: string, ipt_no?: string): void;
}

/** One read model's handlers: the events it cares about, each applied idempotently. */
export type ReadModelHandlers = {
  [T in ProjectedType]?: (data: ProjectedData<T>, x: ApplyContext) => Promise<void>;
};

/** The HIS's 'yyyy-MM-dd HH:mm:ss' (Beijing time) → its date. */
export const dateOf = (platformTime: string) => platformTime.slice(0, 10);
