import { shanghaiSecondStamp, type ResponseEnvelope } from '@yb/platform-client';

/** `yyyyMMddHHmmssSSS`, Beijing time: refmsg_time and respond_time. */
export function millisecondStamp(at: Date): string {
  return `${shanghaiSecondStamp(at)}${String(at.getUTCMilliseconds()).padStart(3, '0')}`;
}

/**
 * Builds answers the way the platform does: inf_refmsgid = receiver admdvs(6) + yyyyMMddHHmmss + a 10-digit
 * serial, the receive and respond times, err_msg "成功" or the refusal, warn_msg null.
 */
export class ResponseEnvelopes {
  private serial = 0;

  constructor(private readonly admdvs: string) {}

  success(receivedAt: Date, output: unknown, now = new Date()): ResponseEnvelope {
    return { ...this.base(receivedAt, now), infcode: 0, err_msg: '成功', output: output ?? null };
  }

  failure(receivedAt: Date, errMsg: string, now = new Date()): ResponseEnvelope {
    return { ...this.base(receivedAt, now), infcode: -1, err_msg: errMsg, output: null };
  }

  private base(receivedAt: Date, now: Date) {
    this.serial = (this.serial + 1) % 10_000_000_000;
    return {
      inf_refmsgid: `${this.admdvs}${shanghaiSecondStamp(now)}${String(this.serial).padStart(10, '0')}`,
      refmsg_time: millisecondStamp(receivedAt),
      respond_time: millisecondStamp(now),
      warn_msg: null,
      cainfo: null,
      signtype: null,
    };
  }
}
