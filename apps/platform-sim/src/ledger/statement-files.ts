import { unzipSync, zipSync } from 'fflate';
import { reject } from './platform-rejection';

// The platform's files (spec part 2 §1, §2.2): one UTF-8 TXT inside a ZIP, one record per line, fields
// separated by TAB, no header row, an empty value written as the literal `null`.

export type TxtRow = readonly (string | undefined)[];

export function zipTxt(name: string, rows: readonly TxtRow[]): Uint8Array {
  const text = rows.map((row) => row.map((field) => field ?? 'null').join('\t')).join('\n');
  return zipSync({ [name]: new TextEncoder().encode(text) });
}

/** The rows of the ZIP's only TXT; a file that is not such a ZIP is refused as the platform would. */
export function unzipTxt(bytes: Uint8Array): string[][] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    return reject('文件格式错误：不是有效的zip文件');
  }
  const names = Object.keys(entries);
  if (names.length !== 1) reject(`文件格式错误：zip文件中应有且仅有一个txt文件，实有${names.length}个`);
  return new TextDecoder()
    .decode(entries[names[0]])
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t').map((field) => (field === 'null' ? '' : field)));
}
