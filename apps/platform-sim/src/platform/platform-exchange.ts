import {
  containsPsnNo,
  shanghaiDateTime,
  EnvelopeSealError,
  gatewaySignerFor,
  PER_SERVICE_PATHS,
  sealEnvelope,
  UNIFIED_PATH,
  unsealEnvelope,
  type GatewaySigner,
  type ResponseEnvelope,
} from '@yb/platform-client';
import type { CatalogueDesk } from '../catalogue/catalogue-desk';
import { isObject, type JsonObject } from '../ledger/input-fields';
import type { LedgerRequest } from '../ledger/ledger-state';
import type { SimLedger } from '../ledger/sim-ledger';
import { AREA_ROUTED_INFNOS } from '../rules/area-routing';
import { refusalOfInput } from '../rules/input-rules';
import type { PlatformSimOptions } from '../sim-config';
import { ResponseEnvelopes } from './response-envelope';

/** The envelope fields the platform refuses a request without (spec §1.1). */
const REQUIRED_ENVELOPE_FIELDS = [
  'infno',
  'msgid',
  'mdtrtarea_admvs',
  'recer_sys_code',
  'infver',
  'opter_type',
  'opter',
  'opter_name',
  'inf_time',
  'fixmedins_code',
  'fixmedins_name',
] as const;

const INFNO_BY_PATH = new Map(Object.entries(PER_SERVICE_PATHS).map(([infno, path]) => [path, infno]));

export const PLATFORM_PATHS: readonly string[] = [UNIFIED_PATH, ...INFNO_BY_PATH.keys()];

/** What became of a request before the ledger: refused outright, or a transaction ready to apply. */
export type Received =
  | { readonly kind: 'refused'; readonly httpStatus: number; readonly envelope: ResponseEnvelope }
  | { readonly kind: 'transaction'; readonly request: LedgerRequest; readonly receivedAt: Date };

/**
 * The platform's front door, without HTTP: gateway headers, SM2 signature, SM4 payload, envelope and input
 * checks (the sandbox's own rules, src/rules, never the client's schemas), then the ledger. Every answer is
 * sealed with the platform's keys.
 */
export class PlatformExchange {
  private readonly signer: GatewaySigner;
  private readonly envelopes: ResponseEnvelopes;

  constructor(
    private readonly options: PlatformSimOptions,
    private readonly ledger: SimLedger,
    private readonly catalogue?: CatalogueDesk,
  ) {
    this.signer = gatewaySignerFor(options.gateway);
    this.envelopes = new ResponseEnvelopes(options.admdvs);
  }

  receive(
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: string,
    receivedAt = new Date(),
  ): Received {
    const refuse = (httpStatus: number, errMsg: string): Received => ({
      kind: 'refused',
      httpStatus,
      envelope: this.seal(this.envelopes.failure(receivedAt, errMsg)),
    });
    if (!this.signer.verify(headers, body))
      return refuse(401, `网关鉴权失败：${this.signer.kind}签名校验不通过`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return refuse(200, '报文格式错误：请求报文不是有效的JSON');
    }
    if (!isObject(parsed)) return refuse(200, '报文格式错误：请求报文不是JSON对象');
    let envelope: JsonObject;
    try {
      envelope = unsealEnvelope(parsed, 'input', {
        sm4Key: this.options.crypto.sm4Key,
        sm2PublicKey: this.options.crypto.hospitalSm2PublicKey,
        sm2UserId: this.options.crypto.sm2UserId,
      });
    } catch (err) {
      if (err instanceof EnvelopeSealError) return refuse(200, `报文验签或解密失败：${err.message}`);
      throw err;
    }
    const problem = envelopeProblem(envelope, path, this.options.enforceInsuplcAdmdvs);
    if (problem) return refuse(200, problem);
    const infno = envelope['infno'] as string;
    const input = envelope['input'] as JsonObject;
    const inputProblem = refusalOfInput(infno, input);
    if (inputProblem) return refuse(200, inputProblem);
    const text = (name: string) =>
      typeof envelope[name] === 'string' && envelope[name] !== '' ? (envelope[name] as string) : undefined;
    return {
      kind: 'transaction',
      receivedAt,
      request: {
        infno,
        msgid: envelope['msgid'] as string,
        input,
        mdtrtarea_admvs: envelope['mdtrtarea_admvs'] as string,
        insuplc_admdvs: text('insuplc_admdvs'),
        fixmedins_code: envelope['fixmedins_code'] as string,
        fixmedins_name: envelope['fixmedins_name'] as string,
        sign_no: text('sign_no'),
      },
    };
  }

  /** Applies the transaction to the ledger and answers its outcome, leaving out the `omit` output fields. */
  apply(tx: Extract<Received, { kind: 'transaction' }>, omit: readonly string[] = []): ResponseEnvelope {
    if (this.catalogue?.serves(tx.request.infno)) {
      // A catalogue query changes nothing: answered from the generated catalogue, not kept in the books.
      const output = this.catalogue.answer(
        tx.request.infno,
        tx.request.input,
        shanghaiDateTime(tx.receivedAt).slice(0, 10),
      );
      return this.seal(this.envelopes.success(tx.receivedAt, withoutFields(output, omit)));
    }
    const answer = this.ledger.handle(tx.request);
    return this.seal(
      answer.infcode === 0
        ? this.envelopes.success(tx.receivedAt, withoutFields(answer.output, omit))
        : this.envelopes.failure(tx.receivedAt, answer.err_msg),
    );
  }

  /**
   * 9102 of a catalogue file (generated on demand, never kept in the books): its bytes; undefined for any other
   * file_qury_no, which the books answer (9101 uploads, 3202 results, and the refusal of an unknown file).
   */
  catalogueFile(tx: Extract<Received, { kind: 'transaction' }>): Buffer | undefined {
    return this.catalogue?.file(tx.request.input);
  }

  /** Refuses the transaction without applying it (the `reject` fault); the msgid still counts as used. */
  refuse(tx: Extract<Received, { kind: 'transaction' }>, errMsg: string): ResponseEnvelope {
    this.ledger.recordRefusal(tx.request, errMsg);
    return this.seal(this.envelopes.failure(tx.receivedAt, errMsg));
  }

  private seal(envelope: ResponseEnvelope): ResponseEnvelope {
    return sealEnvelope(envelope, 'output', {
      sm4Key: this.options.crypto.sm4Key,
      sm2PrivateKey: this.options.crypto.platformSm2PrivateKey,
      sm2UserId: this.options.crypto.sm2UserId,
    });
  }
}

/** The first thing wrong with the envelope itself, in the platform's words; undefined when it is sound. */
function envelopeProblem(envelope: JsonObject, path: string, enforceInsuplc: boolean): string | undefined {
  for (const field of REQUIRED_ENVELOPE_FIELDS) {
    const value = envelope[field];
    if (typeof value !== 'string' || value === '') return `入参[${field}]不能为空`;
  }
  const infno = envelope['infno'] as string;
  const pathInfno = INFNO_BY_PATH.get(path);
  if (pathInfno !== undefined && pathInfno !== infno)
    return `交易编号[${infno}]与服务地址不匹配，该地址只受理交易[${pathInfno}]`;
  if ((envelope['msgid'] as string).length > 30) return '发送方报文ID[msgid]长度不能超过30位';
  if (!['1', '2', '3'].includes(envelope['opter_type'] as string))
    return '经办人类别[opter_type]不在字典范围内';
  if (!isObject(envelope['input'])) return '入参[input]不能为空';
  const insuplc = envelope['insuplc_admdvs'];
  const namesPerson = containsPsnNo(envelope['input']) || AREA_ROUTED_INFNOS.includes(infno);
  if (enforceInsuplc && namesPerson && (typeof insuplc !== 'string' || insuplc === '')) {
    return '参保地医保区划[insuplc_admdvs]不能为空：交易输入含人员编号时必须传参保地医保区划';
  }
  return undefined;
}

/** A copy of an answer's output without the dotted paths (`setlinfo.setl_id`); every row of a list loses it. */
function withoutFields(output: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return output;
  const copy: unknown = structuredClone(output);
  const drop = (node: unknown, [head, ...rest]: string[]): void => {
    if (Array.isArray(node)) return node.forEach((row) => drop(row, [head, ...rest]));
    if (!isObject(node)) return;
    if (rest.length === 0) delete node[head];
    else drop(node[head], rest);
  };
  for (const path of paths) drop(copy, path.split('.'));
  return copy;
}
