import { z } from 'zod';
import { str } from './fields';

// YH03 结算单据打印 (Hubei; catalogue "通过此交易打印结算单"). No public field table was found (spec part 2 §3.4:
// "not seen; other provinces print from 5261/5265/5269/5270"), so this is a conservative adapter, to be checked
// against Hubei's 接口文档 at go-live:
// - input `data` keyed as every settlement query/print of the platform is: psn_no, mdtrt_id, setl_id (5203, 5204,
//   4103 take these);
// - output read tolerantly in the two shapes the platform's documents come in: a file reference to fetch with 9102
//   (file_qury_no + filename, as 9101/3202/13xx answer, directly under `output` or under one node), or the
//   document inline as Base64 text (a field, or `output` itself). slipDocumentOf says which was given.

export const inputYH03 = z
  .object({ data: z.object({ psn_no: str(30), mdtrt_id: str(30), setl_id: str(30) }).strict() })
  .strict();

// Anything the platform applied is read (slipDocumentOf), the document itself as `output` included.
export const outputYH03 = z.unknown();

/** The platform's slip as YH03 answered it: a file to download with 9102, or the document itself. */
export type SlipDocument =
  | { readonly kind: 'file'; readonly file_qury_no: string; readonly filename: string }
  | { readonly kind: 'inline'; readonly bytes: Buffer };

/** Field names seen for inline documents in other provinces' print answers and 9102's JSON variant (GZ). */
const INLINE_FIELDS = [
  'file_byte',
  'file_content',
  'filecontent',
  'file_data',
  'filedata',
  'file',
  'pdf',
  'base64',
];

/**
 * What YH03's answer gives (null: neither a file reference nor a document; the caller says so to a person). The
 * fields are looked for directly under `output` and under any one node (`fileinfo`, `data`, `result`, …), and
 * case-insensitively (camelCase nodes occur on the platform).
 */
export function slipDocumentOf(output: unknown): SlipDocument | null {
  if (typeof output === 'string') {
    const bytes = base64Bytes(output.trim());
    return bytes ? { kind: 'inline', bytes } : null;
  }
  for (const node of candidateNodes(output)) {
    const file_qury_no = textOf(node, 'file_qury_no');
    if (file_qury_no)
      return { kind: 'file', file_qury_no, filename: textOf(node, 'filename') ?? file_qury_no };
    for (const field of INLINE_FIELDS) {
      const encoded = textOf(node, field);
      const bytes = encoded === undefined ? null : base64Bytes(encoded);
      if (bytes) return { kind: 'inline', bytes };
    }
  }
  return null;
}

/** The document's media type from its first bytes (PDF, ZIP, else HTML or text as the platform made it). */
export function slipContentType(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (head.startsWith('%PDF')) return 'application/pdf';
  if (head.startsWith('PK')) return 'application/zip';
  const text = Buffer.from(bytes.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  return text.startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
}

function candidateNodes(output: unknown): Record<string, unknown>[] {
  if (!isRecord(output)) return [];
  const nested = Object.values(output).flatMap((v) =>
    isRecord(v) ? [v] : Array.isArray(v) && isRecord(v[0]) ? [v[0]] : [],
  );
  return [output, ...nested];
}

function textOf(node: Record<string, unknown>, field: string): string | undefined {
  const key = Object.keys(node).find((k) => k.toLowerCase() === field);
  const value = key === undefined ? undefined : node[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

function base64Bytes(text: string): Buffer | null {
  if (text.length < 8 || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 ? bytes : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
