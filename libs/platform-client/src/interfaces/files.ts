import { z } from 'zod';
import { outStr, str, text } from './fields';

// 9101 文件上传 (spec part 2 §4). The file travels as a ZIP. 9101's `in` goes as a Base64 string (OH and one
// Java client; the spec's prints leave the encoding open, some clients send a byte array). 9102 文件下载 is in
// catalogue-queries.ts (PlatformClient.downloadFile: the answer is the file itself).

export const input9101 = z
  .object({ fsUploadIn: z.object({ in: text(), filename: str(200), fixmedins_code: str(30) }).strict() })
  .strict();

// Output fields come straight under `output` ("无节点").
export const output9101 = z
  .object({
    file_qury_no: outStr(),
    filename: outStr().optional(),
    fixmedins_code: outStr().optional(),
    dld_endtime: outStr().optional(),
  })
  .passthrough();
