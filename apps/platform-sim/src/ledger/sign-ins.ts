import { requireNode, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import { reject } from './platform-rejection';

/** 9001 签到: one sign_no per call; the platform accepts any number of open sign-ins per operator. */
export function signIn(ctx: LedgerContext): JsonObject {
  const node = requireNode(ctx.req.input, 'signIn');
  const opter_no = requireString(node, 'opter_no', 'signIn.');
  requireString(node, 'ip', 'signIn.');
  const sign_no = `${ctx.req.mdtrtarea_admvs}${ctx.stamp}${ctx.nextSerial(10)}`;
  ctx.state.signIns.set(sign_no, { sign_no, opter_no, sign_time: ctx.dateTime });
  return { signinoutb: { sign_time: ctx.dateTime, sign_no } };
}

/** 9002 签退: closes the sign_no; later calls carrying it are told to sign in again. */
export function signOut(ctx: LedgerContext): JsonObject {
  const node = requireNode(ctx.req.input, 'signOut');
  const sign_no = requireString(node, 'sign_no', 'signOut.');
  const opter_no = requireString(node, 'opter_no', 'signOut.');
  const signIn = ctx.state.signIns.get(sign_no);
  if (!signIn || signIn.signedOutAt) reject(`签到编号[${sign_no}]不存在或已签退`);
  if (signIn.opter_no !== opter_no) reject(`签退操作员[${opter_no}]与签到操作员不一致`);
  signIn.signedOutAt = ctx.dateTime;
  return { signoutoutb: { sign_time: ctx.dateTime } };
}

/**
 * Every business call must carry an open sign_no. The err_msg mentions 签到 on purpose: that is how the
 * platform tells a client to sign in again.
 */
export function requireOpenSignIn(ctx: LedgerContext): void {
  const sign_no = ctx.req.sign_no;
  if (!sign_no) reject('签到编号为空，请先签到');
  const signIn = ctx.state.signIns.get(sign_no);
  if (!signIn || signIn.signedOutAt) reject(`签到编号[${sign_no}]无效或已签退，请重新签到`);
}
