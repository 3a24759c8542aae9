import { type Content, type TDocumentDefinitions } from 'pdfmake/interfaces';
import { CjkPdf, FORM_PAGE, table } from './cjk-pdf';
import { slipSections, type SettlementSlip } from './settlement-slip';

/** The slip as a PDF (A4, the CJK font: cjk-pdf.ts). */
export class SlipPdf {
  private readonly pdf: CjkPdf;

  constructor(fontPath: string) {
    this.pdf = new CjkPdf(fontPath);
  }

  render(slip: SettlementSlip): Promise<Buffer> {
    return this.pdf.render(definition(slip));
  }
}

function definition(slip: SettlementSlip): TDocumentDefinitions {
  const s = slipSections(slip);
  const heading = (text: string): Content => ({ text, style: 'heading' });
  return {
    ...FORM_PAGE,
    info: { title: s.title, subject: `结算ID ${slip.setl_id}` },
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
