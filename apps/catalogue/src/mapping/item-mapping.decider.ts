import { type Decider } from '@yb/event-store';
import { type HospitalItem, type ItemMappingCommand } from './item-mapping.commands';
import { type ItemMappingEvent } from './item-mapping.events';
import { evolveItemMapping, initialItemMappingState, type ItemMappingState } from './item-mapping.state';

/** A mapping command a person must see refused (the reason goes to the dead-letter record). */
export class MappingRefused extends Error {
  override readonly name = 'MappingRefused';
}

/**
 * One hospital item's mapping, pure. A person maps an item the HIS published to a code the local catalogue
 * holds (of the same list type); while a 3301 or 3302 is owed the item takes no other change (the platform's
 * answer first). A platform answer that finds nothing owed (a worker that crashed after recording it) is a
 * no-op.
 */
export function decideItemMapping(command: ItemMappingCommand, state: ItemMappingState): ItemMappingEvent[] {
  const status = state.mapping?.status;
  switch (command.type) {
    case 'RecordItem':
      return state.item && sameItem(state.item, command.item)
        ? []
        : [{ type: 'ItemRecorded', data: command.item }];
    case 'ConfirmMapping': {
      if (!state.item) throw new MappingRefused('院内项目未由HIS上传，不能对照');
      if (!command.national) throw new MappingRefused(`医保目录中没有编码 ${command.med_list_codg}`);
      if (command.national.list_type !== state.item.list_type)
        throw new MappingRefused(
          `目录类别不一致：院内项目为 ${state.item.list_type}，医保目录编码为 ${command.national.list_type}`,
        );
      if (status === 'uploading' || status === 'withdrawing')
        throw new MappingRefused('上一次对照或撤销尚未得到平台答复');
      if (status === 'mapped' && state.mapping?.med_list_codg === command.med_list_codg) return [];
      const { national, begndate, enddate, by, at } = command;
      return [{ type: 'MappingConfirmed', data: { ...national, begndate, enddate, by, at } }];
    }
    case 'WithdrawMapping':
      if (status !== 'mapped') throw new MappingRefused('该项目没有平台已接收的对照，无需撤销');
      return [
        {
          type: 'WithdrawalRequested',
          data: { med_list_codg: state.mapping!.med_list_codg, by: command.by, at: command.at },
        },
      ];
    case 'RecordUploaded':
    case 'RecordUploadRefused': {
      if (status !== 'uploading') return [];
      const med_list_codg = state.mapping!.med_list_codg;
      return command.type === 'RecordUploaded'
        ? [{ type: 'MappingUploaded', data: { msgid: command.msgid, med_list_codg } }]
        : [
            {
              type: 'MappingRefused',
              data: { msgid: command.msgid, med_list_codg, err_msg: command.err_msg },
            },
          ];
    }
    case 'RecordWithdrawn':
    case 'RecordWithdrawalRefused': {
      if (status !== 'withdrawing') return [];
      const med_list_codg = state.mapping!.med_list_codg;
      return command.type === 'RecordWithdrawn'
        ? [{ type: 'MappingWithdrawn', data: { msgid: command.msgid, med_list_codg } }]
        : [
            {
              type: 'WithdrawalRefused',
              data: { msgid: command.msgid, med_list_codg, err_msg: command.err_msg },
            },
          ];
    }
  }
}

export const ItemMappingDecider: Decider<ItemMappingCommand, ItemMappingEvent, ItemMappingState> = {
  decide: decideItemMapping,
  evolve: evolveItemMapping,
  initialState: () => initialItemMappingState,
};

/** The HIS published the item as it stands already: every field the same (absent and absent alike). */
function sameItem(a: HospitalItem, b: HospitalItem): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof HospitalItem>;
  return [...keys].every((key) => a[key] === b[key]);
}
