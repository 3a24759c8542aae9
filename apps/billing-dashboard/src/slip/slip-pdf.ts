import pdfmake from 'pdfmake';
import { type Content, type TDocumentDefinitions } from 'pdfmake/interfaces';
import { slipSections, type SettlementSlip } from './settlement-slip';

/**
 * The slip as a PDF (A4), laid out by pdfmake (tables, page flow; pdfkit underneath) with a CJK font from the
 * machine: DASHBOARD_SLIP_FONT, by default WenQuanYi Micro Hei of Debian's fonts-wqy-microhei, the package the
 * stack installs for the browser (tools/stack/ensure-chromium.sh). pdfmake reads only that file: its local and
 * URL access policies refuse anything else.
 */
export class SlipPdf {
  constructor(fontPath: string) {
    const face = [fontPath, 'WenQuanYiMicroHei'] as unknown as string;
    pdfmake.setFonts({ CJK: { normal: face, bold: face, italics: face, bolditalics: face } });
    pdfmake.setLocalAccessPolicy((path: string) => path === fontPath);
    pdfmake.setUrlAccessPolicy(() => false);
  }

  render(slip: SettlementSlip): Promise<Buffer> {
    return pdfmake.createPdf(definition(slip)).getBuffer();
  }
}

function table(lines: [string, string][], money = false): Content {
  return {
    table: {
      widths: ['40%', '*'],
      body: lines.map(([name, value]) => [
        { text: name, fillColor: '#f3f3f3' },
        { text: value, alignment: money ? 'right' : 'left' },
      ]),
    },
    layout: { hLineColor: () => '#888888', vLineColor: () => '#888888' },
  };
}

function definition(slip: SettlementSlip): TDocumentDefinitions {
  const s = slipSections(slip);
  const heading = (text: string): Content => ({ text, style: 'heading' });
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    info: { title: s.title, subject: `结算ID ${slip.setl_id}` },
    defaultStyle: { font: 'CJK', fontSize: 10 },
    styles: {
      title: { fontSize: 15, alignment: 'center' },
      heading: { fontSize: 11, margin: [0, 10, 0, 3] },
    },
    content: [
      { text: s.title, style: 'title' },
      ...(slip.cross_area
        ? [{ text: `异地就医：参保地医保区划 ${slip.insuplc_admdvs}`, margin: [0, 6, 0, 0] } as Content]
        : []),
      heading('就诊信息'),
      table(s.visit),
      heading('费用（元）'),
      table(s.totals, true),
      heading('基金支付（元）'),
      table(s.funds, true),
      heading('个人及医院负担（元）'),
      table(s.personal, true),
      {
        columns: ['收费员：', '患者（家属）签字：'],
        margin: [0, 24, 0, 0],
      },
    ],
  };
}
