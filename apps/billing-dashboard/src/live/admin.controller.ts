import { Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSessionAndCsrf, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { CHECKPOINT, REBUILT } from '../api/openapi-schemas';
import { ReadModelRunner } from '../read-model/read-model-runner';

/** The read models' maintenance (admin only). */
@ApiTags('admin')
@Controller('api/admin/read-models')
@UseGuards(SessionGuard)
@Roles('admin')
export class AdminController {
  constructor(@Inject(ReadModelRunner) private readonly readModels: ReadModelRunner) {}

  @Get()
  @ApiOperation({ summary: "The read models' projection state (admins)" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: CHECKPOINT,
    description: 'The projection checkpoint (global position of the last applied message)',
  })
  async checkpoint(): Promise<{ checkpoint: string }> {
    return { checkpoint: await this.readModels.checkpoint() };
  }

  @Post('rebuild')
  @ApiOperation({ summary: 'Rebuild the read models from the event logs (admins)' })
  @HttpCode(200)
  @ApiSessionAndCsrf()
  @ApiOkResponse({
    schema: REBUILT,
    description: 'Emptied every read model and replayed the recorded messages from the first',
  })
  async rebuild(): Promise<{ replayed: number; checkpoint: string }> {
    const replayed = await this.readModels.rebuild();
    return { replayed, checkpoint: await this.readModels.checkpoint() };
  }
}
