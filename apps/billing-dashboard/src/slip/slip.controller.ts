import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { ReadModels } from '../api/read-models';
import { parseInput, text } from '../api/query-filters';
import { type SessionUser } from '../auth/auth.service';
import { CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { type DashboardConfig } from '../dashboard-config';
import { settlementSlip } from './settlement-slip';
import { slipHtml } from './slip-html';
import { SlipPdf } from './slip-pdf';

/**
 * The settlement slip (结算单) of one settlement, for printing: HTML (the browser prints it) or PDF. Any signed-in
 * role may print; identifiers are masked as the role sees them on the visit page.
 */
@ApiTags('settlement slip')
@ApiCookieAuth(SESSION_SECURITY)
@Controller('api/visits/:visitId/settlements/:setlId')
@UseGuards(SessionGuard)
@Roles('viewer', 'operator', 'admin')
export class SlipController {
  private readonly pdf: SlipPdf;

  constructor(
    @Inject(ReadModels) private readonly models: ReadModels,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
  ) {
    this.pdf = new SlipPdf(config.slip.fontPath);
  }

  private async slip(user: SessionUser, visitId: string, setlId: string) {
    const visit = await this.models.visit(user.role, visitId);
    const setl_id = parseInput(text(30, 1), setlId);
    const settlement = (visit?.settlements as Record<string, unknown>[] | undefined)?.find(
      (s) => s.setl_id === setl_id,
    );
    if (!visit || !settlement) throw new NotFoundException('no such settlement of this visit');
    const { hospitalName, hospitalArea } = this.config.slip;
    return settlementSlip(visit, settlement, { name: hospitalName, area: hospitalArea });
  }

  @Get('slip.html')
  @ApiOperation({ summary: 'The settlement slip (结算单) as HTML' })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'The slip as a printable page (Simplified Chinese)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  async html(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Param('setlId') setlId: string,
  ): Promise<string> {
    return slipHtml(await this.slip(user, visitId, setlId));
  }

  @Get('platform-slip')
  @ApiOperation({ summary: "The platform's own slip (YH03 结算单据打印) as it came" })
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse({
    description:
      "The platform's own slip (Hubei's YH03 结算单据打印) as the platform made it, beside ours; 404 while it is not " +
      'there (the visit page says why)',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  async platformSlip(
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Param('setlId') setlId: string,
    @Res() res: Response,
  ): Promise<void> {
    const setl_id = parseInput(text(30, 1), setlId);
    const slip = await this.models.platformSlip(visitId, setl_id);
    if (!slip) throw new NotFoundException("the platform's slip of this settlement is not here (yet)");
    // The platform's document is served as a download of its own type, never rendered in our origin's pages.
    res
      .status(200)
      .type(slip.content_type)
      .setHeader('Content-Disposition', `attachment; filename="platform-slip-${setl_id}"`)
      .setHeader('Content-Security-Policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
      .send(slip.document);
  }

  @Get('slip.pdf')
  @ApiOperation({ summary: 'The settlement slip (结算单) as an A4 PDF' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The slip as a PDF (A4)',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async pdfSlip(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Param('setlId') setlId: string,
    @Res() res: Response,
  ): Promise<void> {
    const slip = await this.slip(user, visitId, setlId);
    const body = await this.pdf.render(slip);
    res
      .status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', `inline; filename="slip-${slip.setl_id}.pdf"`)
      .send(body);
  }
}
