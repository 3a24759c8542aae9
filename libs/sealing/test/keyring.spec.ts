import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { identifierValues, patientArbitrary } from '@yb/testing';
import fc from 'fast-check';
import {
  ConfigError,
  Keyring,
  SealedValueError,
  identifierValuesOf,
  isSealedBytes,
  openFields,
  resealFields,
  sealFields,
} from '../src';

const key = () => randomBytes(32).toString('base64');
const K1 = `k1:${key()}`;
const K2 = `k2:${key()}`;
const keyring = (text: string) => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: text });

describe('Keyring', () => {
  it('parses a keyring once per process, and refuses malformed ones naming the variable', () => {
    expect(keyring(`${K2},${K1}`)).toBe(keyring(`${K2},${K1}`));
    expect(keyring(`${K2},${K1}`).activeKeyId).toBe('k2');
    expect(Keyring.fromEnv('NHSA_JOURNAL_KEYS', {})).toBe(Keyring.CLEAR);
    for (const wrong of ['k1:c2hvcnQ=', 'no-colon', `${K1},${K1}`, `bad id!:${key()}`]) {
      expect(() => keyring(wrong)).toThrow(ConfigError);
      expect(() => keyring(wrong)).toThrow(/NHSA_JOURNAL_KEYS: must be id:key entries/);
    }
  });

  it('reads the keyring from an owner-only file and refuses one others can read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyring-'));
    try {
      const file = path.join(dir, 'keys');
      fs.writeFileSync(file, `${K1}\n`, { mode: 0o600 });
      expect(Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS_FILE: file }).activeKeyId).toBe('k1');
      fs.chmodSync(file, 0o644);
      expect(() => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS_FILE: file })).toThrow(
        /chmod 600/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seals bytes bound to their place; opens clear bytes as they are; a wrong key is a clear error', () => {
    const plain = Buffer.from('{"certno":"420102198001011234"}');
    const sealed = keyring(K1).sealBytes(plain, 'row-1');
    expect(isSealedBytes(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('420102198001011234'))).toBe(false);
    expect(keyring(`${K2},${K1}`).openBytes(sealed, 'row-1')).toEqual(plain);
    expect(keyring(K1).openBytes(plain, 'row-1')).toEqual(plain);
    expect(() => keyring(K1).openBytes(sealed, 'row-2')).toThrow(SealedValueError);
    expect(() => keyring(K2).openBytes(sealed, 'row-1')).toThrow(/"k1", which NHSA_JOURNAL_KEYS lacks/);
    expect(() => keyring(`k1:${key()}`).openBytes(sealed, 'row-1')).toThrow(/does not open/);
    expect(Keyring.CLEAR.sealBytes(plain, 'row-1')).toBe(plain);
  });

  it('seals every identifier field at any depth and nothing else; opens it back (property)', () => {
    fc.assert(
      fc.property(patientArbitrary, (p) => {
        const document = {
          ipt_no: 'ZY1',
          psn_name: p.psn_name,
          person: { certno: p.certno, psn_no: p.psn_no, tel: p.mobile },
          list: [{ emp_name: p.emp_name, brdy: p.brdy }, 'free text'],
        };
        const sealed = sealFields(keyring(K1), document, 'event:visit-1');
        const text = JSON.stringify(sealed);
        expect([...identifierValues(p), p.brdy, p.emp_name].filter((v) => text.includes(v))).toEqual([]);
        expect(sealed).toMatchObject({ ipt_no: 'ZY1', list: [{}, 'free text'] });
        expect(openFields(keyring(K1), JSON.parse(text), 'event:visit-1')).toEqual(document);
        expect(() => openFields(keyring(K1), JSON.parse(text), 'event:visit-2')).toThrow(SealedValueError);
      }),
      { numRuns: 50 },
    );
  });

  it('gives back the very document when there is nothing to seal or open (no copy on the hot path)', () => {
    const document = { ipt_no: 'ZY1', lines: [{ feedetl_sn: 'F1', det_item_fee_sumamt: '1.00' }] };
    expect(sealFields(keyring(K1), document, 'a')).toBe(document);
    expect(openFields(keyring(K1), document, 'a')).toBe(document);
    const withName = { psn_name: '张三' };
    expect(sealFields(Keyring.CLEAR, withName, 'a')).toBe(withName);
  });

  it('reseals only what is clear or under another key; gives back the very value when all is under the active key', () => {
    const [p] = fc.sample(patientArbitrary, 1);
    const document = { ipt_no: 'ZY1', psn_name: p!.psn_name, person: { certno: p!.certno } };
    const underK1 = sealFields(keyring(K1), document, 'event:visit-1');
    const rotated = keyring(`${K2},${K1}`);
    const moved = resealFields(rotated, underK1, 'event:visit-1') as typeof document;
    expect(JSON.stringify(moved)).not.toMatch(/"kid":"k1"/);
    expect(openFields(keyring(K2), moved, 'event:visit-1')).toEqual(document);
    expect(resealFields(rotated, moved, 'event:visit-1')).toBe(moved);
    expect(
      openFields(keyring(K2), resealFields(rotated, document, 'event:visit-1'), 'event:visit-1'),
    ).toEqual(document);
    const whole = keyring(K1).seal(document, 'w');
    const once = rotated.reseal(whole, 'w');
    expect(keyring(K2).open(once, 'w')).toEqual(document);
    expect(rotated.reseal(once, 'w')).toBe(once);
    const bytes = keyring(K1).sealBytes(Buffer.from('payload'), 'b');
    const movedBytes = rotated.resealBytes(bytes, 'b');
    expect(keyring(K2).openBytes(movedBytes, 'b').toString()).toBe('payload');
    expect(rotated.resealBytes(movedBytes, 'b')).toBe(movedBytes);
    expect(identifierValuesOf(document).sort()).toEqual([p!.certno, p!.psn_name].sort());
  });
});
