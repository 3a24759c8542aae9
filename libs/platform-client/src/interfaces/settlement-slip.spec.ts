import { validateInput } from './validation';
import { slipContentType, slipDocumentOf } from './settlement-slip';

// YH03 结算单据打印: sent strictly (psn_no, mdtrt_id, setl_id), read tolerantly (a 9102 file reference or the
// document inline, wherever the answer puts it).

const PDF = Buffer.from('%PDF-1.4\n% 结算单\n');

describe('YH03 结算单据打印', () => {
  it('sends data keyed on psn_no, mdtrt_id and setl_id, and refuses anything else', () => {
    const data = { psn_no: 'P1', mdtrt_id: 'M1', setl_id: 'S1' };
    expect(validateInput('YH03', { data })).toEqual({ data });
    expect(() => validateInput('YH03', { data: { psn_no: 'P1', mdtrt_id: 'M1' } })).toThrow(/setl_id/);
    expect(() => validateInput('YH03', { data: { ...data, certno: 'x' } })).toThrow(/certno/);
  });

  it.each([
    ['directly under output', { file_qury_no: 'fsi/st/1', filename: 'S1.pdf' }],
    ['under a node', { fileinfo: { file_qury_no: 'fsi/st/1', filename: 'S1.pdf' } }],
    [
      'under a camelCase node, in a list, with a camelCase field',
      { fileInfo: [{ File_Qury_No: 'fsi/st/1', filename: 'S1.pdf' }] },
    ],
  ])('reads a file reference %s', (_where, output) => {
    expect(slipDocumentOf(output)).toEqual({ kind: 'file', file_qury_no: 'fsi/st/1', filename: 'S1.pdf' });
  });

  it('names the file after its query number when the answer gives no filename', () => {
    expect(slipDocumentOf({ file_qury_no: 'fsi/st/1' })).toEqual({
      kind: 'file',
      file_qury_no: 'fsi/st/1',
      filename: 'fsi/st/1',
    });
  });

  it.each([
    ['a field', { setl_id: 'S1', file_content: PDF.toString('base64') }],
    ['a field under a node', { data: { file_byte: PDF.toString('base64') } }],
    ['output itself', PDF.toString('base64')],
  ])('reads an inline Base64 document given as %s', (_as, output) => {
    const document = slipDocumentOf(output);
    expect(document).toEqual({ kind: 'inline', bytes: PDF });
    expect(slipContentType(PDF)).toBe('application/pdf');
  });

  it('finds nothing in an answer without a document ("" means not given)', () => {
    expect(slipDocumentOf({ file_qury_no: '', file_content: '' })).toBeNull();
    expect(slipDocumentOf({ setl_id: 'S1', memo: '已打印' })).toBeNull();
    expect(slipDocumentOf(null)).toBeNull();
  });

  it('tells the media type from the first bytes', () => {
    expect(slipContentType(Buffer.from('PK\u0003\u0004'))).toBe('application/zip');
    expect(slipContentType(Buffer.from('  <!DOCTYPE html><html>'))).toBe('text/html; charset=utf-8');
    expect(slipContentType(Buffer.from('结算单'))).toBe('text/plain; charset=utf-8');
  });
});
