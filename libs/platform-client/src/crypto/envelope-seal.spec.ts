import { EnvelopeSealError, envelopeSignText, sealEnvelope, unsealEnvelope } from './envelope-seal';
import { generateSm2KeyPair } from './sm2';
import { sm4DecryptBase64, sm4EncryptBase64 } from './sm4';

describe('SM4 payload encryption', () => {
  it('decrypts the published sample (spec §1.5a: key ACC10563D7382BF6)', () => {
    expect(sm4DecryptBase64('PznBlnVSzpDlyl54Vk3/hg==', 'ACC10563D7382BF6')).toBe('{"result":null}');
    expect(sm4EncryptBase64('{"result":null}', 'ACC10563D7382BF6')).toBe('PznBlnVSzpDlyl54Vk3/hg==');
  });

  it('refuses a ciphertext under another key', () => {
    expect(() => sm4DecryptBase64('PznBlnVSzpDlyl54Vk3/hg==', 'ACC10563D7382BF7')).toThrow();
  });
});

describe('sealing an envelope (SM4 + SM2)', () => {
  const hospital = generateSm2KeyPair();
  const sm4Key = '0123456789abcdef';
  const envelope = {
    infno: '2401',
    msgid: 'H42010200001202601020902030001',
    cainfo: '',
    signtype: '',
    input: { data: { psn_no: 'P1', n: 1 } },
  };

  it('round-trips: encrypted input, verified signature, same payload back', () => {
    const sealed = sealEnvelope(envelope, 'input', { sm4Key, sm2PrivateKey: hospital.privateKey });
    expect(typeof sealed.input).toBe('string');
    expect(sealed.signtype).toBe('SM2');
    expect(Buffer.from(sealed.cainfo, 'base64')).toHaveLength(64);
    const opened = unsealEnvelope(sealed, 'input', { sm4Key, sm2PublicKey: hospital.publicKey });
    expect(opened.input).toEqual(envelope.input);
  });

  it('detects a changed field, a foreign key and a missing signature', () => {
    const sealed = sealEnvelope(envelope, 'input', { sm2PrivateKey: hospital.privateKey });
    const other = generateSm2KeyPair();
    expect(() =>
      unsealEnvelope({ ...sealed, msgid: 'H42010200001202601020902030002' }, 'input', {
        sm2PublicKey: hospital.publicKey,
      }),
    ).toThrow(EnvelopeSealError);
    expect(() => unsealEnvelope(sealed, 'input', { sm2PublicKey: other.publicKey })).toThrow(
      /does not verify/,
    );
    expect(() => unsealEnvelope(envelope, 'input', { sm2PublicKey: hospital.publicKey })).toThrow(
      /no SM2 signature/,
    );
  });

  it('signs a canonical text: sorted keys, no cainfo, no empty values, sorted JSON objects', () => {
    expect(envelopeSignText({ b: '2', cainfo: 'x', a: { z: 1, y: [{ d: 1, c: 2 }] }, e: '', f: null })).toBe(
      'a={"y":[{"c":2,"d":1}],"z":1}&b=2',
    );
  });
});
