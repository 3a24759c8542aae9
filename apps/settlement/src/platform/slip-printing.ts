import { slipContentType, slipDocumentOf, type PlatformClient } from '@yb/platform-client';
import { type RunAgain } from '@yb/service-runtime';
import { slipOwed } from '../slip/slip.decider';
import { type OwedSlip, type PrintedSlip } from '../slip/slip.events';
import { type SlipWorkflow } from '../slip/slip-workflow';

/**
 * Fetches a settlement's platform slip: YH03, then 9102 when the answer is a file reference (or the document
 * as YH03 gave it inline). Every failure — refused, unanswered, no document in the answer — is recorded and
 * asked again after `retryMs` (doubling), never touching the settlement.
 */
export class SlipPrinting {
  constructor(
    private readonly slips: SlipWorkflow,
    private readonly client: PlatformClient,
    private readonly fixmedins_code: string,
    private readonly retryMs: number,
  ) {}

  /** The worker's run for one settlement's slip. */
  async run(setl_id: string): Promise<void | RunAgain> {
    const { state, version } = await this.slips.load(setl_id);
    if (!slipOwed(state)) return this.slips.clearOwed(setl_id, version);
    const outcome = await this.fetch(state.slip!);
    const after = await this.slips.execute(
      setl_id,
      typeof outcome === 'string'
        ? { type: 'RecordSlipFailure', reason: outcome }
        : { type: 'RecordSlip', printed: outcome },
    );
    if (slipOwed(after)) return { againInMs: this.retryMs * 2 ** (after.attempts - 1) };
  }

  /** The document, or why there is none. */
  private async fetch(slip: OwedSlip): Promise<PrintedSlip | string> {
    const { ipt_no, psn_no, mdtrt_id, setl_id, insuplc_admdvs } = slip;
    const options = { visitKey: ipt_no, psn_no, insuplc_admdvs };
    const answer = await this.client.call('YH03', { data: { psn_no, mdtrt_id, setl_id } }, options);
    if (answer.status === 'REJECTED') return `YH03 refused: ${answer.err_msg}`;
    if (answer.status === 'UNKNOWN') return `YH03 unanswered: ${answer.reason}`;
    if (answer.status !== 'SUCCEEDED') return 'YH03 applied, its answer unreadable';
    const document = slipDocumentOf(answer.output);
    if (!document) return 'YH03 answered without a document (neither file_qury_no nor an inline document)';
    let bytes = document.kind === 'inline' ? document.bytes : undefined;
    if (document.kind === 'file') {
      const { file_qury_no, filename } = document;
      const file = await this.client.downloadFile(
        { file_qury_no, filename, fixmedins_code: this.fixmedins_code },
        options,
      );
      if (file.status === 'REJECTED') return `9102 refused: ${file.err_msg}`;
      if (file.status === 'UNKNOWN') return `9102 unanswered: ${file.reason}`;
      bytes = file.bytes;
    }
    return {
      msgid: answer.msgid,
      filename: document.kind === 'file' ? document.filename : setl_id,
      content_type: slipContentType(bytes!),
      document_base64: Buffer.from(bytes!).toString('base64'),
    };
  }
}
