import type { LedgerContext } from './ledger-context';
import { requireNode, requireRows, requireString, optionalString } from './input-fields';
import type { ItemMapping } from './ledger-state';
import { reject } from './platform-rejection';

const keyOf = (fixmedins_code: string, fixmedins_hilist_id: string, list_type: string) =>
  `${fixmedins_code}|${fixmedins_hilist_id}|${list_type}`;

/**
 * 3301 目录对照上传 (spec part 2 §6.1): each row maps one of the hospital's items to a national code the
 * catalogue holds; a row naming an unknown code refuses the whole call (nothing applied). Uploading an item
 * again replaces its mapping (the agency audits the latest). No answer body.
 */
export function uploadItemMappings(ctx: LedgerContext): null {
  const rows = requireRows(ctx.req.input, 'data');
  if (rows.length > 100) reject('目录对照上传单次不能超过100条');
  const mappings: ItemMapping[] = rows.map((row, i) => {
    const where = `data[${i}].`;
    const med_list_codg = requireString(row, 'med_list_codg', where);
    if (!ctx.catalogueItem(med_list_codg)) reject(`医疗目录编码[${med_list_codg}]在医保目录中不存在`);
    return {
      fixmedins_code: ctx.req.fixmedins_code,
      fixmedins_hilist_id: requireString(row, 'fixmedins_hilist_id', where),
      fixmedins_hilist_name: requireString(row, 'fixmedins_hilist_name', where),
      list_type: requireString(row, 'list_type', where),
      med_list_codg,
      begndate: requireString(row, 'begndate', where),
      enddate: optionalString(row, 'enddate') ?? '',
      msgid: ctx.req.msgid,
    };
  });
  for (const mapping of mappings) {
    ctx.state.itemMappings.set(
      keyOf(mapping.fixmedins_code, mapping.fixmedins_hilist_id, mapping.list_type),
      mapping,
    );
  }
  return null;
}

/** 3302 目录对照撤销 (§6.2): one mapping at a time; one the platform does not hold is refused. */
export function withdrawItemMapping(ctx: LedgerContext): null {
  const [row] = Array.isArray(ctx.req.input['data'])
    ? requireRows(ctx.req.input, 'data')
    : [requireNode(ctx.req.input, 'data')];
  const fixmedins_code = requireString(row, 'fixmedins_code');
  const fixmedins_hilist_id = requireString(row, 'fixmedins_hilist_id');
  const list_type = requireString(row, 'list_type');
  const med_list_codg = requireString(row, 'med_list_codg');
  const key = keyOf(fixmedins_code, fixmedins_hilist_id, list_type);
  const held = ctx.state.itemMappings.get(key);
  if (!held || held.med_list_codg !== med_list_codg) {
    reject(`未找到定点医药机构目录编号[${fixmedins_hilist_id}]与医疗目录编码[${med_list_codg}]的对照信息`);
  }
  ctx.state.itemMappings.delete(key);
  return null;
}
