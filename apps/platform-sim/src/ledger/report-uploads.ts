import {
  optionalRows,
  optionalString,
  requireNode,
  requireRows,
  requireString,
  type JsonObject,
} from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { ReportUpload } from './ledger-state';
import { reject } from './platform-rejection';

/**
 * 4101A 医疗保障基金结算清单信息上传: one list per settlement at a time. A list stands (vali_flag 1) from its
 * upload until 4102 withdraws it; a second 4101A for a settlement with a standing list is refused, naming it.
 * The settlement must stand itself. Answers the list's setl_list_id.
 */
export function uploadSettlementList(ctx: LedgerContext): JsonObject {
  const info = requireNode(ctx.req.input, 'setlinfo');
  const mdtrt_id = requireString(info, 'mdtrt_id', 'setlinfo.');
  const setl_id = requireString(info, 'setl_id', 'setlinfo.');
  const psn_no = requireString(info, 'psn_no', 'setlinfo.');
  const stas_type = requireString(info, 'stas_type', 'setlinfo.');
  const settlement = ctx.state.settlements.get(setl_id);
  if (!settlement || settlement.mdtrt_id !== mdtrt_id) reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  if (settlement.psn_no !== psn_no) reject(`结算ID[${setl_id}]与人员编号[${psn_no}]不匹配`);
  if (settlement.status !== 'settled') reject(`结算ID[${setl_id}]的结算信息已撤销，不能上传结算清单`);
  requireRows(ctx.req.input, 'diseinfo');
  const previous = standingList(ctx, setl_id);
  if (previous) reject(`结算ID[${setl_id}]的结算清单已上传[${previous.setl_list_id}]，不能重复上传`);
  const setl_list_id = `${ctx.req.mdtrtarea_admvs}QD${ctx.stamp}${ctx.nextSerial(8)}`;
  ctx.state.reports.push({
    infno: ctx.req.infno,
    msgid: ctx.req.msgid,
    key: setl_id,
    mdtrt_id,
    vali_flag: '1',
    stas_type,
    setl_list_id,
    at: ctx.dateTime,
  });
  return { setl_list_id };
}

/**
 * 4102 结算清单状态修改, per settlement: stas_type 0 withdraws a submitted list ("撤回"; a corrected list may then be
 * uploaded again), 1 submits one uploaded unsubmitted. All rows or none: a row the state does not allow refuses
 * the call, naming the settlement. A cancelled settlement's list can still be withdrawn.
 */
export function changeSettlementListStatus(ctx: LedgerContext): null {
  const data = requireNode(ctx.req.input, 'data');
  const rows = requireRows(data, 'stastinfo');
  const changes = rows.map((row, i) => {
    const where = `stastinfo[${i}].`;
    const setl_id = requireString(row, 'setl_id', where);
    const psn_no = requireString(row, 'psn_no', where);
    const stas_type = requireString(row, 'stas_type', where);
    const list = standingList(ctx, setl_id);
    if (!list) reject(`结算ID[${setl_id}]不存在已上传的结算清单，不能修改状态`);
    if (ctx.state.settlements.get(setl_id)?.psn_no !== psn_no)
      reject(`结算ID[${setl_id}]与人员编号[${psn_no}]不匹配`);
    if (stas_type === '0' && list.stas_type !== '1') reject(`结算ID[${setl_id}]的结算清单未提交，不能撤回`);
    if (stas_type === '1' && list.stas_type === '1')
      reject(`结算ID[${setl_id}]的结算清单已提交，不能重复提交`);
    return { list, stas_type };
  });
  for (const { list, stas_type } of changes) {
    const changed =
      stas_type === '0'
        ? { ...list, vali_flag: '0', withdrawnByMsgid: ctx.req.msgid }
        : { ...list, stas_type };
    ctx.state.reports.splice(ctx.state.reports.indexOf(list), 1, changed);
  }
  return null;
}

/** The settlement's list that stands (uploaded and not withdrawn), if any. */
export function standingList(ctx: LedgerContext, setl_id: string): ReportUpload | undefined {
  return ctx.state.reports.find((r) => r.infno === '4101A' && r.key === setl_id && r.vali_flag === '1');
}

/** Where each clinical upload keeps its rows, and the field that identifies one record within a visit. */
const CLINICAL_UPLOADS: Record<
  string,
  { node: string; keyFields: readonly string[]; children: readonly string[] }
> = {
  '4401': { node: 'baseinfo', keyFields: ['mdtrt_sn'], children: ['diseinfo', 'oprninfo', 'icuinfo'] },
  '4402': { node: 'data', keyFields: ['medcas_drord_detl_id'], children: [] },
  '4501': {
    node: 'examinfo',
    keyFields: ['rpotc_no', 'appy_no'],
    children: ['iteminfo', 'sampleinfo', 'imageinfo'],
  },
  '4502': { node: 'labinfo', keyFields: ['rpotc_no', 'appy_no'], children: ['iteminfo', 'sampleinfo'] },
  '4503': { node: 'data', keyFields: ['rpotc_no', 'appy_no'], children: [] },
  '4504': { node: 'data', keyFields: ['rpotc_no', 'appy_no'], children: [] },
  '4505': { node: 'data', keyFields: ['palg_no'], children: [] },
  '4506': { node: 'data', keyFields: ['appy_no', 'file_name'], children: [] },
};

export const CLINICAL_UPLOAD_INFNOS = Object.keys(CLINICAL_UPLOADS);

/**
 * 4401/4402/450x: accepted row by row with the vali_flag rules: 1 uploads a record (refused if a valid one
 * is already there), 0 voids the valid one (refused if there is none to void).
 */
export function uploadClinicalRecords(ctx: LedgerContext): null {
  const spec = CLINICAL_UPLOADS[ctx.req.infno] ?? reject(`交易编号[${ctx.req.infno}]不存在`);
  const rows = requireRows(ctx.req.input, spec.node);
  for (const child of spec.children) {
    optionalRows(ctx.req.input, child)
      .filter((row) => row['vali_flag'] !== undefined)
      .forEach((row, i) => valiFlag(row, `${child}[${i}].`));
  }
  const keysInBatch = new Set<string>();
  const changes = rows.map((row, i) => {
    const where = `${spec.node}[${i}].`;
    const mdtrt_sn = requireString(row, 'mdtrt_sn', where);
    const mdtrt_id = optionalString(row, 'mdtrt_id');
    if (mdtrt_id !== undefined && !ctx.state.registrations.has(mdtrt_id))
      reject(`${where}mdtrt_id[${mdtrt_id}]对应的就诊信息不存在`);
    const id = spec.keyFields.map((f) => optionalString(row, f)).find((v) => v !== undefined);
    if (id === undefined) reject(`入参[${where}${spec.keyFields[0]}]不能为空`);
    const key = id === mdtrt_sn ? mdtrt_sn : `${mdtrt_sn}/${id}`;
    if (keysInBatch.has(key)) reject(`${where}记录[${key}]在本次上传中重复`);
    keysInBatch.add(key);
    const flag = valiFlag(row, where);
    const valid = ctx.state.reports.find(
      (r) => r.infno === ctx.req.infno && r.key === key && r.vali_flag === '1',
    );
    if (flag === '1' && valid) reject(`${where}记录[${key}]已上传，如需修改请先上传有效标志为0的作废记录`);
    if (flag === '0' && !valid) reject(`${where}记录[${key}]不存在有效的上传记录，不能作废`);
    return { key, mdtrt_id, flag, valid };
  });
  for (const { key, mdtrt_id, flag, valid } of changes) {
    if (valid) ctx.state.reports.splice(ctx.state.reports.indexOf(valid), 1, { ...valid, vali_flag: '0' });
    if (flag === '1') {
      ctx.state.reports.push({
        infno: ctx.req.infno,
        msgid: ctx.req.msgid,
        key,
        mdtrt_id,
        vali_flag: '1',
        at: ctx.dateTime,
      });
    }
  }
  return null;
}

function valiFlag(row: JsonObject, where: string): string {
  const flag = requireString(row, 'vali_flag', where);
  if (flag !== '0' && flag !== '1')
    reject(`入参[${where}vali_flag]取值[${flag}]不在字典范围内（0 无效，1 有效）`);
  return flag;
}
