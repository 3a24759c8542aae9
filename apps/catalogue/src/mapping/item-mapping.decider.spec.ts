import { DeciderSpecification } from '@yb/event-store';
import { ItemMappingDecider, MappingRefused } from './item-mapping.decider';
import { type ItemMappingEvent } from './item-mapping.events';

const spec = DeciderSpecification.for(ItemMappingDecider);
const AT = '2026-12-03T06:00:00.000Z';
const item = {
  fixmedins_hilist_id: 'YP000123',
  fixmedins_hilist_name: '阿莫西林胶囊',
  list_type: '101',
  spec: '0.25g',
};
const amoxicillin = {
  med_list_codg: 'XJ01CAA040A001010101445',
  hilist_name: '阿莫西林胶囊',
  list_type: '101',
};
const recorded: ItemMappingEvent = { type: 'ItemRecorded', data: item };
const confirmed: ItemMappingEvent = {
  type: 'MappingConfirmed',
  data: { ...amoxicillin, begndate: '2026-12-03', enddate: '2099-12-31', by: 'zhangli', at: AT },
};
const confirm = (national: typeof amoxicillin | null = amoxicillin) =>
  ({
    type: 'ConfirmMapping',
    ...(national && { national }),
    med_list_codg: amoxicillin.med_list_codg,
    begndate: '2026-12-03',
    enddate: '2099-12-31',
    by: 'zhangli',
    at: AT,
  }) as const;
const uploaded: ItemMappingEvent = {
  type: 'MappingUploaded',
  data: { msgid: 'M1', med_list_codg: amoxicillin.med_list_codg },
};

describe('a hospital item mapping', () => {
  it('records an item once, and again only when the HIS changes it', () => {
    spec.given([]).when({ type: 'RecordItem', item }).then([recorded]);
    spec.given([recorded]).when({ type: 'RecordItem', item }).then([]);
    spec
      .given([recorded])
      .when({ type: 'RecordItem', item: { ...item, spec: '0.5g' } })
      .then([{ type: 'ItemRecorded', data: { ...item, spec: '0.5g' } }]);
  });

  it('maps an item to a code the catalogue holds, owing 3301', () => {
    spec.given([recorded]).when(confirm()).then([confirmed]);
  });

  it('refuses a code the catalogue does not hold, of another list type, or while 3301 is unanswered', () => {
    spec.given([recorded]).when(confirm(null)).thenThrows(MappingRefused);
    spec
      .given([recorded])
      .when(confirm({ ...amoxicillin, list_type: '301' }))
      .thenThrows(MappingRefused);
    spec.given([recorded, confirmed]).when(confirm()).thenThrows(MappingRefused);
    spec.given([]).when(confirm()).thenThrows(MappingRefused);
  });

  it("keeps the platform's answer, once", () => {
    spec.given([recorded, confirmed]).when({ type: 'RecordUploaded', msgid: 'M1' }).then([uploaded]);
    spec.given([recorded, confirmed, uploaded]).when({ type: 'RecordUploaded', msgid: 'M1' }).then([]);
    spec
      .given([recorded, confirmed])
      .when({ type: 'RecordUploadRefused', msgid: 'M1', err_msg: '医疗目录编码不存在' })
      .then([
        {
          type: 'MappingRefused',
          data: { msgid: 'M1', med_list_codg: amoxicillin.med_list_codg, err_msg: '医疗目录编码不存在' },
        },
      ]);
  });

  it('withdraws only a mapping the platform holds', () => {
    spec
      .given([recorded, confirmed, uploaded])
      .when({ type: 'WithdrawMapping', by: 'lisi', at: AT })
      .then([
        {
          type: 'WithdrawalRequested',
          data: { med_list_codg: amoxicillin.med_list_codg, by: 'lisi', at: AT },
        },
      ]);
    spec
      .given([recorded, confirmed])
      .when({ type: 'WithdrawMapping', by: 'lisi', at: AT })
      .thenThrows(MappingRefused);
  });
});
