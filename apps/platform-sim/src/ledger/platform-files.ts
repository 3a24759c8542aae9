import { isObject, requireNode, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { StoredFile } from './ledger-state';
import { reject } from './platform-rejection';

/** The key of 9102's output under which the controller finds the bytes it answers as the file itself. */
export const DOWNLOADED_FILE = 'downloaded_file_base64';

/** How long a file stays downloadable: the end of the day after it was made. */
export function downloadDeadline(dateTime: string): string {
  const next = new Date(`${dateTime.slice(0, 10)}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${next.toISOString().slice(0, 10)} 23:59:59`;
}

/** Keeps a file under a new file_qury_no (`fsi/<kind>/` + the instant + a serial: at most 30 characters). */
export function storeFile(
  ctx: LedgerContext,
  kind: 'up' | 'st' | 'pr',
  filename: string,
  bytes: Uint8Array,
): StoredFile {
  const file: StoredFile = {
    file_qury_no: `fsi/${kind}/${ctx.stamp}${ctx.nextSerial(6)}`,
    filename,
    fixmedins_code: ctx.req.fixmedins_code,
    bytes,
    dld_endtime: downloadDeadline(ctx.dateTime),
  };
  ctx.state.files.set(file.file_qury_no, file);
  return file;
}

/** 9101 文件上传: `in` as Base64 text or as a JSON array of byte values (clients send both). */
export function uploadFile(ctx: LedgerContext): JsonObject {
  const input = requireNode(ctx.req.input, 'fsUploadIn');
  const filename = requireString(input, 'filename', 'fsUploadIn.');
  const fixmedins_code = requireString(input, 'fixmedins_code', 'fsUploadIn.');
  if (fixmedins_code !== ctx.req.fixmedins_code) reject(`医药机构编号[${fixmedins_code}]与报文发送方不一致`);
  const file = storeFile(ctx, 'up', filename, bytesOf(input['in']));
  return {
    file_qury_no: file.file_qury_no,
    filename: file.filename,
    fixmedins_code,
    dld_endtime: file.dld_endtime,
  };
}

/** 9102 文件下载: the file's bytes, answered by the controller as the ZIP itself. */
export function downloadFile(ctx: LedgerContext): JsonObject {
  const input = requireNode(ctx.req.input, 'fsDownloadIn');
  const file_qury_no = requireString(input, 'file_qury_no', 'fsDownloadIn.');
  const filename = requireString(input, 'filename', 'fsDownloadIn.');
  const fixmedins_code = requireString(input, 'fixmedins_code', 'fsDownloadIn.');
  const file = ctx.state.files.get(file_qury_no);
  if (!file || file.filename !== filename) reject(`文件查询号[${file_qury_no}]对应的文件[${filename}]不存在`);
  if (file.fixmedins_code !== fixmedins_code) reject(`医药机构编号[${fixmedins_code}]无权下载该文件`);
  if (ctx.dateTime > file.dld_endtime) reject(`文件已超过下载截止时间[${file.dld_endtime}]`);
  return { [DOWNLOADED_FILE]: Buffer.from(file.bytes).toString('base64') };
}

/** The file of a 9102 success answer, for the controller to send as `application/octet-stream`. */
export function downloadedFile(output: unknown): Buffer | undefined {
  const encoded = isObject(output) ? output[DOWNLOADED_FILE] : undefined;
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined;
}

function bytesOf(value: unknown): Uint8Array {
  if (typeof value === 'string' && value.trim() !== '') return Buffer.from(value.trim(), 'base64');
  if (Array.isArray(value) && value.length > 0 && value.every((b) => Number.isInteger(b))) {
    // Java clients send signed bytes (-128…127).
    return Uint8Array.from(value.map((b: number) => b & 0xff));
  }
  return reject('入参[fsUploadIn.in]不能为空');
}
