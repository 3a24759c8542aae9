import { type TDocumentDefinitions } from 'pdfmake/interfaces';
import { CjkPdf, FORM_PAGE, grid, table } from '../slip/cjk-pdf';
import { clearingFormSections, type ClearingPrintout } from './clearing-form';

/** 清算申请单 as a PDF (A4, the settlement slip's CJK font and layout helpers). */
export class ClearingFormPdf {
  private readonly pdf: CjkPdf;

  constructor(fontPath: string) {
    this.pdf = new CjkPdf(fontPath);
  }

  render(printout: ClearingPrintout, hospitalName: string): Promise<Buffer> {
    return this.pdf.render(definition(printout, hospitalName));
  }
}

function definition(printout: ClearingPrintout, hospitalName: string): TDocumentDefinitions {
  const s = clearingFormSections(printout, hospitalName);
  return {
    ...FORM_PAGE,
    info: { title: s.title, subject: `清算申请事件ID ${printout.clr_appy_evt_id}` },
    content: [
      { text: s.title, style: 'title' },
      { text: '申请信息', style: 'heading' },
      table(s.application),
      { text: '申报金额（元）', style: 'heading' },
      grid(['项目', '本院申报', '医保中心记录(3205A)'], s.amounts),
      { columns: ['经办人：', '医保办负责人：', '医院（盖章）：'], margin: [0, 28, 0, 0] },
    ],
  };
}
