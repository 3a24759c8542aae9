import pdfmake from 'pdfmake';
import { type Content, type TDocumentDefinitions } from 'pdfmake/interfaces';

/**
 * PDFs in Chinese (A4 forms: the settlement slip, the clearing application form), laid out by pdfmake (tables,
 * page flow; pdfkit underneath) with a CJK font from the machine: DASHBOARD_SLIP_FONT, by default WenQuanYi
 * Micro Hei of Debian's fonts-wqy-microhei, the package the stack installs for the browser
 * (tools/stack/ensure-chromium.sh). pdfmake reads only that file: its local and URL access policies refuse
 * anything else.
 */
export class CjkPdf {
  constructor(fontPath: string) {
    const face = [fontPath, 'WenQuanYiMicroHei'] as unknown as string;
    pdfmake.setFonts({ CJK: { normal: face, bold: face, italics: face, bolditalics: face } });
    pdfmake.setLocalAccessPolicy((path: string) => path === fontPath);
    pdfmake.setUrlAccessPolicy(() => false);
  }

  render(definition: TDocumentDefinitions): Promise<Buffer> {
    return pdfmake.createPdf(definition).getBuffer();
  }
}

/** The page every form shares: A4, the CJK font, a centred title and small headings. */
export const FORM_PAGE = {
  pageSize: 'A4',
  pageMargins: [40, 40, 40, 40],
  defaultStyle: { font: 'CJK', fontSize: 10 },
  styles: {
    title: { fontSize: 15, alignment: 'center' },
    heading: { fontSize: 11, margin: [0, 10, 0, 3] },
  },
} satisfies Partial<TDocumentDefinitions>;

const lines = { hLineColor: () => '#888888', vLineColor: () => '#888888' };

/** Rows of name and value (amounts right-aligned). */
export function table(rows: [string, string][], money = false): Content {
  return {
    table: {
      widths: ['40%', '*'],
      body: rows.map(([name, value]) => [
        { text: name, fillColor: '#f3f3f3' },
        { text: value, alignment: money ? 'right' : 'left' },
      ]),
    },
    layout: lines,
  };
}

/** A table with a header row, the columns after the first right-aligned (amounts). */
export function grid(header: string[], rows: string[][]): Content {
  return {
    table: {
      widths: header.map((_, i) => (i === 0 ? '34%' : '*')),
      headerRows: 1,
      body: [
        header.map((text) => ({ text, fillColor: '#f3f3f3' })),
        ...rows.map((row) =>
          row.map((text, i) => ({ text, alignment: i === 0 ? ('left' as const) : ('right' as const) })),
        ),
      ],
    },
    layout: lines,
  };
}
