import { requireRows, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { AppliedTransaction } from './ledger-state';
import { reject } from './platform-rejection';
import { restoreSettlement, undoSettlement } from './settlements';
import { activeFeeLines } from './visit-queries';

/** The platform's refusal when the settlement was already refunded (ZJ real traffic, spec §7.3). */
export const ALREADY_REFUNDED_ERR_MSG =
  'FSI-调用业务基础子系统冲正失败:冲正的结算信息退费结算标志不为未退费，不能办理冲正交易[iptPsnSetlMgtBO_4412]';

/**
 * 2601 冲正交易: undoes the effect of the transaction whose msgid is omsgid, once, and only for interfaces
 * the catalogue marks reversible. `isReversible` comes from the interface catalogue.
 */
export function reverse(ctx: LedgerContext, isReversible: (infno: string) => boolean): null {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const psn_no = requireString(data, 'psn_no', 'data.');
  const omsgid = requireString(data, 'omsgid', 'data.');
  const oinfno = requireString(data, 'oinfno', 'data.');
  if (!isReversible(oinfno)) reject(`交易[${oinfno}]不允许冲正，请使用对应的撤销交易`);
  const original = ctx.state.applied.get(omsgid);
  if (!original) reject(`冲正失败：未找到原交易报文ID[${omsgid}]的交易记录`);
  if (original.infno !== oinfno)
    reject(`原交易编号[${oinfno}]与原报文ID[${omsgid}]的交易编号[${original.infno}]不一致`);
  if (original.psn_no !== undefined && original.psn_no !== psn_no)
    reject(`人员编号[${psn_no}]与原交易人员编号不一致`);
  if (ctx.state.reversals.some((r) => r.omsgid === omsgid))
    reject(`原交易报文ID[${omsgid}]已冲正，不能重复冲正`);

  undo(ctx, original);
  ctx.state.reversals.push({ msgid: ctx.req.msgid, omsgid, oinfno, psn_no, at: ctx.dateTime });
  return null;
}

function undo(ctx: LedgerContext, original: AppliedTransaction): void {
  const { state } = ctx;
  switch (original.infno) {
    case '2401': {
      const visit = state.registrations.get(original.mdtrt_id ?? '') ?? reject('原入院登记信息不存在');
      if (visit.status === 'cancelled') reject(`就诊ID[${visit.mdtrt_id}]的入院登记已撤销，不能办理冲正交易`);
      if (visit.status !== 'admitted' || activeFeeLines(state, visit.mdtrt_id).length > 0) {
        reject(`就诊ID[${visit.mdtrt_id}]已发生后续业务（费用上传或出院），不能冲正入院登记`);
      }
      visit.status = 'reversed';
      visit.history.push({ infno: '2601', msgid: ctx.req.msgid, at: ctx.dateTime });
      return;
    }
    case '2304': {
      const settlement = state.settlements.get(original.setl_id ?? '') ?? reject('原结算信息不存在');
      if (settlement.status !== 'settled') reject(ALREADY_REFUNDED_ERR_MSG);
      undoSettlement(state, settlement);
      settlement.status = 'reversed';
      settlement.reversalMsgid = ctx.req.msgid;
      return;
    }
    case '2305': {
      const settlement = state.settlements.get(original.setl_id ?? '') ?? reject('原结算信息不存在');
      if (settlement.status !== 'cancelled')
        reject(`结算ID[${settlement.setl_id}]当前不是已撤销状态，不能冲正结算撤销交易`);
      restoreSettlement(state, settlement);
      settlement.status = 'settled';
      delete settlement.cancelMsgid;
      delete settlement.cancelSetlId;
      delete settlement.cancelSetlTime;
      return;
    }
    default:
      reject(`交易[${original.infno}]暂不支持冲正`);
  }
}
