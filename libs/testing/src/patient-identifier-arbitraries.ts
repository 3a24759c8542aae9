import fc from 'fast-check';

/** Generated patient identifiers, as the platform and the HIS write them, for redaction property tests. */
export interface GeneratedPatient {
  /** 18-character resident ID (valid check character). */
  certno: string;
  /** 15-digit first-generation resident ID. */
  certno15: string;
  /** The mobile number's eleven digits, and as written in the text (+86, spaces, hyphens…). */
  mobile: string;
  mobileWritten: string;
  psn_name: string;
  psn_no: string;
  brdy: string;
  emp_name: string;
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳司马'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const birthDate = fc.date({ min: new Date('1930-01-01'), max: new Date('2024-12-31'), noInvalidDate: true });

const certno = fc
  .tuple(fc.integer({ min: 11, max: 65 }), digits(4), birthDate, digits(3))
  .map(([province, area, born, sequence]) => {
    const body = `${province}${area}${born.toISOString().slice(0, 10).replace(/-/g, '')}${sequence}`;
    const sum = [...body].reduce((total, d, i) => total + Number(d) * WEIGHTS[i]!, 0);
    return `${body}${CHECK[sum % 11]}`;
  });

const certno15 = fc
  .tuple(fc.integer({ min: 11, max: 65 }), digits(4), birthDate, digits(3))
  .map(([p, a, born, s]) => `${p}${a}${born.toISOString().slice(2, 10).replace(/-/g, '')}${s}`);

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`);

const written = (number: string) =>
  fc
    .constantFrom('', '+86', '+86 ', '0086-', '86')
    .chain((prefix) =>
      fc
        .constantFrom(
          number,
          `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`,
          `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`,
        )
        .map((body) => `${prefix}${body}`),
    );

const chineseName = fc
  .tuple(fc.constantFrom(...SURNAMES), fc.array(fc.constantFrom(...GIVEN), { minLength: 1, maxLength: 2 }))
  .map(([surname, given]) => `${surname}${given.join('')}`);

export const patientArbitrary: fc.Arbitrary<GeneratedPatient> = fc
  .record({
    certno,
    certno15,
    mobile,
    psn_name: chineseName,
    psn_no: digits(20),
    brdy: birthDate.map((d) => d.toISOString().slice(0, 10)),
    emp_name: fc.constantFrom('武汉', '湖北', '宜昌', '襄阳').map((city) => `${city}某某科技有限公司`),
  })
  .chain((patient) => written(patient.mobile).map((mobileWritten) => ({ ...patient, mobileWritten })));

/**
 * Free text around identifiers as a platform err_msg or a person's comment has it: Chinese words and punctuation
 * (an identifier glued to other digits or letters is another number, which no pattern can tell apart).
 */
export const freeTextArbitrary = fc
  .array(
    fc.constantFrom(
      '参保人',
      '证件号',
      '不存在',
      '，',
      '：',
      ' ',
      '（',
      '）',
      '联系电话',
      '医保',
      '已挂失',
      '。',
    ),
    {
      maxLength: 4,
    },
  )
  .map((words) => words.join(''));

/** Every form an identifier of `patient` could leak in: none of these may appear in what is checked. */
export function identifierValues(patient: GeneratedPatient): string[] {
  return [
    patient.certno,
    patient.certno15,
    patient.mobile,
    patient.mobileWritten,
    patient.psn_name,
    patient.psn_no,
  ];
}
