import { slipSections, type SettlementSlip } from './settlement-slip';

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const rows = (lines: [string, string][], money = false) =>
  lines
    .map(
      ([name, value]) =>
        `<tr><th>${escape(name)}</th><td${money ? ' class="money"' : ''}>${escape(value)}</td></tr>`,
    )
    .join('');

/**
 * The slip as a printable page (A4 through the browser's print dialog), Simplified Chinese, self-contained: no
 * script (the dashboard's CSP allows none inline), styles inline.
 */
export function slipHtml(slip: SettlementSlip): string {
  const s = slipSections(slip);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(s.title)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 13px; color: #000; }
  h1 { font-size: 18px; text-align: center; margin: 0 0 12px; }
  h2 { font-size: 14px; margin: 14px 0 4px; border-bottom: 1px solid #000; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #888; padding: 3px 6px; text-align: left; }
  th { width: 40%; font-weight: normal; background: #f3f3f3; }
  td.money { text-align: right; font-variant-numeric: tabular-nums; }
  .visit { columns: 2; }
  .cross { font-weight: bold; }
  .sign { margin-top: 24px; display: flex; justify-content: space-between; }
</style></head>
<body data-testid="settlement-slip">
<h1>${escape(s.title)}</h1>
${slip.cross_area ? `<p class="cross" data-testid="slip-cross-area">异地就医：参保地医保区划 ${escape(slip.insuplc_admdvs ?? '')}</p>` : ''}
<h2>就诊信息</h2><table data-testid="slip-visit">${rows(s.visit)}</table>
<h2>费用（元）</h2><table data-testid="slip-totals">${rows(s.totals, true)}</table>
<h2>基金支付（元）</h2><table data-testid="slip-funds">${rows(s.funds, true)}</table>
<h2>个人及医院负担（元）</h2><table data-testid="slip-personal">${rows(s.personal, true)}</table>
<div class="sign"><span>收费员：</span><span>患者（家属）签字：</span><span>打印时间：${escape(new Date().toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }))}</span></div>
</body></html>`;
}
