import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { NationalItems, type Suggestion } from '../lookup/national-items';
import { ItemMappingWorkflow } from '../mapping/item-mapping-workflow';
import { type ItemMappingState } from '../mapping/item-mapping.state';

/**
 * What the mapping screen reads: a hospital item with its mapping and history, and the national codes suggested
 * for it (read-only; a person confirms through ConfirmItemMapping on the command topic). Item names and codes
 * only: no patient data.
 */
@Controller('catalogue/items')
export class MappingController {
  constructor(
    @Inject(ItemMappingWorkflow) private readonly items: ItemMappingWorkflow,
    @Inject(NationalItems) private readonly national: NationalItems,
  ) {}

  @Get(':id')
  async item(@Param('id') id: string): Promise<ItemMappingState> {
    const state = await this.items.state(id);
    if (!state.item) throw new NotFoundException(`院内项目 ${id} 未由HIS上传`);
    return state;
  }

  @Get(':id/suggestions')
  async suggestions(@Param('id') id: string): Promise<Suggestion[]> {
    return this.national.suggest((await this.item(id)).item!);
  }
}
