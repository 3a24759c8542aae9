import { inflateRawSync } from 'node:zlib';
import { FEE_CATALOGUE } from '@yb/reference-charges';
import { MED_TYPE } from '../rules/dictionaries';
import { CatalogueDesk } from './catalogue-desk';
import { FileCatalogues } from './catalogue-files';
import { GeneratedCatalogue } from './generated-catalogue';

interface Page {
  recordCounts: number;
  pages: number;
  data: Record<string, string>[];
}

const files = new FileCatalogues({ rows: 12, rowsPerVersion: 5 });

describe('the sandbox catalogue desk', () => {
  const page = (desk: CatalogueDesk, infno: string, updt_time: string, page_num: number, page_size = 100) =>
    desk.answer(infno, { data: { updt_time, page_num, page_size } }, '2026-12-03') as Page;

  it('pages through every item once, oldest update first, the same rows for the same seed', () => {
    const desk = new CatalogueDesk(new GeneratedCatalogue({ items: 250, seed: 7 }), '420000', files);
    const first = page(desk, '1312', '2000-01-01', 1);
    expect(first).toMatchObject({ recordCounts: 250, pages: 3 });
    const rows = [1, 2, 3].flatMap((n) => page(desk, '1312', '2000-01-01', n).data);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r['rid'])).size).toBe(250);
    expect(rows.map((r) => r['updt_time'])).toEqual([...rows.map((r) => r['updt_time'])].sort());
    const again = new CatalogueDesk(new GeneratedCatalogue({ items: 250, seed: 7 }), '420000', files);
    expect(page(again, '1312', '2000-01-01', 2).data).toEqual(page(desk, '1312', '2000-01-01', 2).data);
  });

  it('answers only rows updated after the cursor: a grown catalogue gives just the new rows', () => {
    const catalogue = new GeneratedCatalogue({ items: 100, seed: 1 });
    const desk = new CatalogueDesk(catalogue, '420000', files);
    const all = page(desk, '1318', '2000-01-01', 1).data;
    const cursor = all[all.length - 1]['updt_time'];
    expect(page(desk, '1318', cursor, 1).recordCounts).toBe(0);
    catalogue.resize(130);
    const newer = page(desk, '1318', cursor, 1);
    expect(newer.recordCounts).toBe(30);
    expect(newer.data.every((r) => r['updt_time'] > cursor)).toBe(true);
  });

  it('prices the fee rules items with their own ceilings, and finds generated codes', () => {
    const catalogue = new GeneratedCatalogue({ items: 1_000, seed: 3 });
    const limits = page(new CatalogueDesk(catalogue, '420000', files), '1318', '2000-01-01', 1, 1_000).data;
    expect(
      limits.find((r) => r['hilist_code'] === 'XJ01CAA040A001010101445')?.['hilist_pric_uplmt_amt'],
    ).toBe('30.00');
    const generated = catalogue.item(500);
    expect(catalogue.find(generated.hilist_code)).toEqual(generated);
    expect(catalogue.find('X03999999999B001')).toBeUndefined();
  });

  it('serves 1307 a version at a time, each as a ZIP of a TAB-separated TXT through 9102', () => {
    const desk = new CatalogueDesk(new GeneratedCatalogue({ items: 1, seed: 1 }), '420000', files);
    const first = desk.answer('1307', { data: { ver: '0' } }, '2026-12-03') as Record<
      string,
      string | number
    >;
    expect(first).toMatchObject({
      file_qury_no: 'fsi/plc/1307_1307V0001',
      filename: '1307_1307V0001.txt.zip',
      data_cnt: 5,
    });
    const zip = desk.file({
      fsDownloadIn: {
        file_qury_no: first['file_qury_no'],
        filename: first['filename'],
        fixmedins_code: 'plc',
      },
    });
    expect(zip?.readUInt32LE(0)).toBe(0x04034b50);
    expect(desk.answer('1307', { data: { ver: '1307V0002' } }, '2026-12-03')).toMatchObject({ data_cnt: 2 });
    expect(desk.answer('1307', { data: { ver: '1307V0003' } }, '2026-12-03')).toMatchObject({ data_cnt: 0 });
    expect(
      desk.file({
        fsDownloadIn: {
          file_qury_no: 'fsi/plc/1307_1307V0001',
          filename: 'x',
          fixmedins_code: 'H42010200123',
        },
      }),
    ).toBeUndefined();
  });
});

describe("the sandbox's catalogue and the HIS simulator's charges (one list, @yb/reference-charges)", () => {
  it('holds every national code the reference hospital charges, priced by kind, and 1312 lists them', () => {
    const catalogue = new GeneratedCatalogue({ items: 1_000, seed: 1 });
    const missing = FEE_CATALOGUE.filter((charge) => !catalogue.find(charge.med_list_codg));
    expect(missing.map((charge) => charge.med_list_codg)).toEqual([]);
    expect(catalogue.find('003310040010000-331004001')).toMatchObject({
      hilist_name: '阑尾切除术',
      list_type: '201',
      med_chrgitm_type: '06',
      chrgitm_lv: '01',
      pric_uplmt_amt: '1180.00',
    });
    expect(catalogue.medListItem('C13010113900000000000000')).toMatchObject({
      chrgitm_lv: '02',
      selfpay_prop: '0.1',
      med_chrgitm_type: '08',
    });
    const desk = new CatalogueDesk(catalogue, '420000', files);
    const listed = new Set(
      (
        desk.answer(
          '1312',
          { data: { updt_time: '2000-01-01', page_num: 1, page_size: 1_000 } },
          '2026-12-03',
        ) as Page
      ).data.map((row) => row['hilist_code']),
    );
    expect(FEE_CATALOGUE.filter((charge) => !listed.has(charge.med_list_codg))).toEqual([]);
  });

  it('does not hold a code one character off a charged one (what a strict 2301 refuses)', () => {
    const catalogue = new GeneratedCatalogue({ items: 1_000, seed: 1 });
    expect(catalogue.find('003310040010000-331004009')).toBeUndefined();
    expect(catalogue.find('C13010113900000000000001')).toBeUndefined();
  });
});

describe("the sandbox's file catalogues 1310, 1311, 1313, 1314, 1315", () => {
  const unzipped = (zip: Buffer) => {
    // One stored (uncompressed or deflated) entry: its data after the local header (30 bytes + name + extra).
    const [method, size, nameLength, extraLength] = [
      zip.readUInt16LE(8),
      zip.readUInt32LE(18),
      zip.readUInt16LE(26),
      zip.readUInt16LE(28),
    ];
    const data = zip.subarray(30 + nameLength + extraLength, 30 + nameLength + extraLength + size);
    return (method === 8 ? inflateRawSync(data) : data).toString('utf8').split('\n');
  };
  const fileOf = (desk: CatalogueDesk, infno: string, ver: string) => {
    const named = desk.answer(infno, { data: { ver } }, '2026-12-03') as Record<string, string | number>;
    const zip = desk.file({
      fsDownloadIn: {
        file_qury_no: named['file_qury_no'],
        filename: named['filename'],
        fixmedins_code: 'plc',
      },
    });
    return { named, lines: zip ? unzipped(zip).map((line) => line.split('\t')) : [] };
  };

  it('lays each out as §5.1 prints it: 中医疾病 has 14 columns, the disease code in 6, 版本号 in 13', () => {
    const desk = new CatalogueDesk(new GeneratedCatalogue({ items: 1, seed: 1 }), '420000', files);
    const { named, lines } = fileOf(desk, '1314', '0');
    expect(named).toMatchObject({ file_qury_no: 'fsi/plc/1314_1314V0001', data_cnt: 5 });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toHaveLength(14);
    expect(lines[0][5]).toMatch(/^A\d{6}$/);
    expect(lines[0].slice(8, 10)).toEqual(['1', '1314R0000000000']);
    expect(lines[0][12]).toBe('1314V0001');
    expect(fileOf(desk, '1311', '0').lines[0]).toHaveLength(15);
    expect(fileOf(desk, '1311', '0').lines[0][7]).toBe('1311V0001');
    expect(fileOf(desk, '1313', '0').lines[0][9]).toBe('1313V0001');
    expect(fileOf(desk, '1310', '0').lines[0][9]).toBe('1310V0001');
    expect(fileOf(desk, '1315', '0').lines[0][12]).toBe('1315V0001');
  });

  it('publishes grown rows as new versions and never rewrites a published one', () => {
    const grown = new FileCatalogues({ rows: 12, rowsPerVersion: 5 });
    const desk = new CatalogueDesk(new GeneratedCatalogue({ items: 1, seed: 1 }), '420000', grown);
    expect(fileOf(desk, '1310', '1310V0003').named).toMatchObject({ data_cnt: 0 });
    grown.grow(15);
    expect(fileOf(desk, '1310', '1310V0002').named).toMatchObject({ data_cnt: 2 });
    const fourth = fileOf(desk, '1310', '1310V0003');
    expect(fourth.named).toMatchObject({ file_qury_no: 'fsi/plc/1310_1310V0004', data_cnt: 3 });
    expect(fourth.lines.map((cells) => cells[6])).toEqual([
      '1310R0000000012',
      '1310R0000000013',
      '1310R0000000014',
    ]);
  });
});

describe("the sandbox's 1901 and its own rules", () => {
  it('accepts in 2401 every medical type its 1901 lists, the region-local 22 外伤住院 among them', () => {
    const desk = new CatalogueDesk(new GeneratedCatalogue({ items: 10, seed: 1 }), '420000', files);
    const answer = desk.answer('1901', { data: { type: 'med_type' } }, '2026-12-03') as {
      list: { value: string }[];
    };
    const listed = answer.list.map((row) => row.value);
    expect(listed).toContain('22');
    expect(listed.filter((code) => !MED_TYPE.includes(code))).toEqual([]);
  });
});
