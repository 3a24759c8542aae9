import { type z } from 'zod';
import { type INTERFACE_SCHEMAS, type InterfaceInput, type TypedInfno } from './interface-schemas';

// One realistic exchange per typed interface for a Wuhan (420100) inpatient visit: the `input` node
// as sent and the `output` node as the platform answers it (numbers where the platform sends them).
// Made-up people and numbers. Tests and the platform simulator reuse them.

/** A node as the platform may give it: an optional field may also come as null (read as not given). */
type AsGiven<T> = T extends readonly (infer Row)[]
  ? AsGiven<Row>[]
  : T extends object
    ? { [K in keyof T]: undefined extends T[K] ? AsGiven<T[K]> | null : AsGiven<T[K]> }
    : T;

/** An `output` node as it comes off the wire, before readOutput normalises it. */
export type InterfaceRawOutput<I extends TypedInfno> = AsGiven<
  z.input<(typeof INTERFACE_SCHEMAS)[I]['output']>
>;

export interface InterfaceExample<I extends TypedInfno> {
  readonly input: InterfaceInput<I>;
  readonly output: InterfaceRawOutput<I>;
}

const FIXMEDINS_CODE = 'H42010200123';
const PSN_NO = '42000019800101123456';
const MDTRT_ID = '420100202405061234567890';
const SETL_ID = '420100202405150000012345';
const IPT_NO = 'ZY20240506001';
const MSGID = `${FIXMEDINS_CODE}202405150930120001`;

const admissionDiagnosis = {
  psn_no: PSN_NO,
  diag_type: '1',
  maindiag_flag: '1',
  diag_srt_no: 1,
  diag_code: 'J18.900',
  diag_name: '肺炎',
  adm_cond: '有',
  diag_dept: '呼吸内科',
  dise_dor_no: 'D0012',
  dise_dor_name: '李医生',
  diag_time: '2024-05-06 09:30:00',
};

const settlementAnswer = {
  mdtrt_id: MDTRT_ID,
  psn_no: PSN_NO,
  psn_name: '张三',
  psn_cert_type: '01',
  certno: '420102198001011234',
  gend: '1',
  naty: '01',
  brdy: '1980-01-01',
  age: 44.3,
  insutype: '310',
  psn_type: '1101',
  cvlserv_flag: '0',
  setl_time: '2024-05-15 09:30:15',
  mdtrt_cert_type: '02',
  med_type: '21',
  medfee_sumamt: 12345.67,
  fulamt_ownpay_amt: 320.5,
  overlmt_selfpay: 0,
  preselfpay_amt: 150.25,
  inscp_scp_amt: 11874.92,
  act_pay_dedc: 800,
  hifp_pay: 8859.94,
  pool_prop_selfpay: 0.85,
  cvlserv_pay: 0,
  hifes_pay: 0,
  hifmi_pay: 0,
  hifob_pay: 0,
  maf_pay: 0,
  hosp_part_amt: 0,
  oth_pay: 0,
  fund_pay_sumamt: 8859.94,
  psn_part_amt: '3485.73',
  acct_pay: 1000,
  psn_cash_pay: 2485.73,
  balc: 2350.4,
  acct_mulaid_pay: 0,
  medins_setl_id: MSGID,
};

const fundPayment = {
  fund_pay_type: '310100',
  inscp_scp_amt: 11874.92,
  crt_payb_lmt_amt: 8859.94,
  fund_payamt: 8859.94,
  fund_pay_type_name: '职工基本医疗保险统筹基金',
  setl_proc_info: '起付线800.00，报销比例85%',
};

const recordKeys = {
  mdtrt_sn: `${FIXMEDINS_CODE}${IPT_NO}`,
  mdtrt_id: MDTRT_ID,
  psn_no: PSN_NO,
  vali_flag: '1',
};

/** How the platform's answers about a visit or a referral name the person (5201, 5303, 5304). */
const PERSON_NAMED = { psn_cert_type: '01', certno: '420102198001011234', psn_name: '张三', gend: '1' };

/** The first fee line as the platform priced it: 2301's answer, and 5204's row of it after the settlement. */
const PRICED_FEE_LINE = {
  feedetl_sn: 'FY202405060001',
  det_item_fee_sumamt: 86.4,
  cnt: 2,
  pric: 43.2,
  pric_uplmt_amt: 50,
  selfpay_prop: 0.1,
  fulamt_ownpay_amt: 0,
  overlmt_amt: 0,
  preselfpay_amt: 8.64,
  inscp_scp_amt: 77.76,
  chrgitm_lv: '02',
  med_chrgitm_type: '09',
  bas_medn_flag: '0',
  hi_nego_drug_flag: '0',
  chld_medc_flag: '0',
  list_sp_item_flag: '0',
  lmt_used_flag: '0',
  drt_reim_flag: '0',
};

/** One settlement as 5203 answers it, and as a 5262 / 5267 list row carries it. */
const SETTLEMENT_RECORD = {
  setl_id: SETL_ID,
  mdtrt_id: MDTRT_ID,
  psn_no: PSN_NO,
  insutype: '310',
  setl_time: '2024-05-15 10:30:00',
  clr_type: '21',
  clr_optins: '420100',
  clr_way: '1',
  medfee_sumamt: 12345.67,
  fund_pay_sumamt: 8859.94,
  acct_pay: 1000,
  cash_payamt: 2485.73,
  psn_pay: 3485.73,
  medins_setl_id: MSGID,
  refd_setl_flag: '0',
};

export const INTERFACE_EXAMPLES: { readonly [I in TypedInfno]: InterfaceExample<I> } = {
  '9001': {
    input: { signIn: { opter_no: 'OP001', mac: '00-16-3E-12-34-56', ip: '10.20.30.40' } },
    output: { signinoutb: { sign_time: '2024-05-15 08:00:01', sign_no: '420100202405150800011234567890' } },
  },
  '9002': {
    input: { signOut: { sign_no: '420100202405150800011234567890', opter_no: 'OP001' } },
    output: { signoutoutb: { sign_time: '2024-05-15 18:00:00' } },
  },
  '1101': {
    input: {
      data: {
        mdtrt_cert_type: '02',
        mdtrt_cert_no: '420102198001011234',
        psn_cert_type: '01',
        certno: '420102198001011234',
        psn_name: '张三',
      },
    },
    output: {
      baseinfo: {
        psn_no: PSN_NO,
        psn_cert_type: '01',
        certno: '420102198001011234',
        psn_name: '张三',
        gend: '1',
        naty: '01',
        brdy: '1980-01-01',
        age: 44.3,
      },
      insuinfo: [
        {
          balc: 2350.4,
          insutype: '310',
          psn_type: '1101',
          psn_insu_stas: '1',
          psn_insu_date: '2005-07-01',
          paus_insu_date: null,
          cvlserv_flag: '0',
          insuplc_admdvs: '420100',
          emp_name: '武汉某某有限公司',
        },
      ],
      idetinfo: [],
    },
  },
  '2001': {
    input: {
      data: {
        psn_no: PSN_NO,
        insutype: '310',
        fixmedins_code: FIXMEDINS_CODE,
        med_type: '21',
        begntime: '2024-05-06 09:30:00',
      },
    },
    output: {
      trtinfo: [
        {
          psn_no: PSN_NO,
          trt_chk_type: '01',
          fund_pay_type: '310100',
          trt_enjymnt_flag: '1',
          begndate: '2005-07-01',
          enddate: null,
          trt_chk_rslt: null,
        },
        {
          psn_no: PSN_NO,
          trt_chk_type: '01',
          fund_pay_type: '330100',
          trt_enjymnt_flag: '1',
          begndate: '2005-07-01',
          enddate: null,
          trt_chk_rslt: null,
        },
      ],
    },
  },
  '2401': {
    input: {
      mdtrtinfo: {
        psn_no: PSN_NO,
        insutype: '310',
        coner_name: '李四',
        tel: '13800000000',
        begntime: '2024-05-06 09:12:00',
        mdtrt_cert_type: '02',
        mdtrt_cert_no: '420102198001011234',
        med_type: '21',
        ipt_no: IPT_NO,
        medrcdno: 'BL0098765',
        atddr_no: 'D0012',
        chfpdr_name: '李医生',
        adm_diag_dscr: '社区获得性肺炎',
        adm_dept_codg: 'A03.01',
        adm_dept_name: '呼吸内科',
        adm_bed: '12-03',
        dscg_maindiag_code: 'J18.900',
        dscg_maindiag_name: '肺炎',
        main_cond_dscr: '发热咳嗽3天',
        insuplc_admdvs: '420100',
      },
      diseinfo: [admissionDiagnosis],
    },
    output: { result: { mdtrt_id: MDTRT_ID } },
  },
  '2402': {
    input: {
      dscginfo: {
        mdtrt_id: MDTRT_ID,
        psn_no: PSN_NO,
        insutype: '310',
        endtime: '2024-05-15 09:00:00',
        dscg_dept_codg: 'A03.01',
        dscg_dept_name: '呼吸内科',
        dscg_bed: '12-03',
        dscg_way: '1',
      },
      diseinfo: [
        { ...admissionDiagnosis, diag_time: '2024-05-15 08:30:00', mdtrt_id: MDTRT_ID, vali_flag: '1' },
      ],
    },
    output: null,
  },
  '2403': {
    input: {
      adminfo: {
        mdtrt_id: MDTRT_ID,
        psn_no: PSN_NO,
        begntime: '2024-05-06 09:12:00',
        mdtrt_cert_type: '02',
        med_type: '21',
        ipt_otp_no: IPT_NO,
        atddr_no: 'D0012',
        chfpdr_name: '李医生',
        adm_diag_dscr: '社区获得性肺炎',
        adm_dept_codg: 'A03.01',
        adm_dept_name: '呼吸内科',
        adm_bed: '15-01',
        dscg_maindiag_code: 'J18.900',
        dscg_maindiag_name: '肺炎',
      },
      diseinfo: [{ ...admissionDiagnosis, mdtrt_id: MDTRT_ID }],
    },
    output: {},
  },
  '2404': { input: { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } }, output: null },
  '2405': { input: { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } }, output: null },
  '2406': {
    input: {
      data: {
        mdtrt_id: MDTRT_ID,
        psn_no: PSN_NO,
        ipt_otp_no: IPT_NO,
        ipt_psn_sp_flag_type: '01',
        ipt_psn_sp_flag: '1',
        memo: '转科',
        admdvs: '420100',
      },
    },
    output: { data: { ipt_psn_sp_flag_detl_id: '420100000000001234' } },
  },
  '2407': {
    input: { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO, page_num: 1, page_size: 20 } },
    output: {
      IptPsnSpFlagReg: {
        data: [
          {
            mdtrt_id: MDTRT_ID,
            psn_no: PSN_NO,
            ipt_otp_no: IPT_NO,
            ipt_psn_sp_flag_type: '01',
            ipt_psn_sp_flag: '1',
            admdvs: '420100',
            fixmedins_code: FIXMEDINS_CODE,
            ipt_psn_sp_flag_detl_id: '420100000000001234',
          },
        ],
      },
    },
  },
  '2301': {
    input: {
      feedetail: [
        {
          feedetl_sn: 'FY202405060001',
          mdtrt_id: MDTRT_ID,
          drord_no: 'YZ0001',
          psn_no: PSN_NO,
          med_type: '21',
          fee_ocur_time: '2024-05-06 10:00:00',
          med_list_codg: 'XJ01DDA068B002010101445',
          medins_list_codg: 'YP000123',
          det_item_fee_sumamt: '86.40',
          cnt: '2',
          pric: '43.2',
          bilg_dept_codg: 'A03.01',
          bilg_dept_name: '呼吸内科',
          bilg_dr_codg: 'D0012',
          bilg_dr_name: '李医生',
          hosp_appr_flag: '1',
        },
        {
          feedetl_sn: 'FY202405060002',
          init_feedetl_sn: 'FY202405060001',
          mdtrt_id: MDTRT_ID,
          psn_no: PSN_NO,
          med_type: '21',
          fee_ocur_time: '2024-05-07 11:00:00',
          med_list_codg: 'XJ01DDA068B002010101445',
          medins_list_codg: 'YP000123',
          det_item_fee_sumamt: '-43.20',
          cnt: '-1',
          pric: '43.2',
          bilg_dept_codg: 'A03.01',
          bilg_dept_name: '呼吸内科',
          bilg_dr_codg: 'D0012',
          bilg_dr_name: '李医生',
          memo: '退药',
        },
      ],
    },
    output: {
      result: [
        { ...PRICED_FEE_LINE, memo: null },
        {
          feedetl_sn: 'FY202405060002',
          det_item_fee_sumamt: '-43.20',
          cnt: -1,
          pric: '43.200000',
          pric_uplmt_amt: 50,
          chrgitm_lv: '02',
          med_chrgitm_type: '09',
          lmt_used_flag: '0',
        },
      ],
    },
  },
  '2302': { input: { data: [{ feedetl_sn: '0000', mdtrt_id: MDTRT_ID, psn_no: PSN_NO }] }, output: null },
  '2303': {
    input: {
      data: {
        psn_no: PSN_NO,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: '420102198001011234',
        medfee_sumamt: '12345.67',
        psn_setlway: '01',
        mdtrt_id: MDTRT_ID,
        acct_used_flag: '1',
        insutype: '310',
        mid_setl_flag: '0',
        fulamt_ownpay_amt: '320.50',
        overlmt_selfpay: '0.00',
        preselfpay_amt: '150.25',
        inscp_scp_amt: '11874.92',
      },
    },
    output: { setlinfo: settlementAnswer, setldetail: [fundPayment] },
  },
  '2304': {
    input: {
      data: {
        psn_no: PSN_NO,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: '420102198001011234',
        medfee_sumamt: '12345.67',
        psn_setlway: '01',
        mdtrt_id: MDTRT_ID,
        acct_used_flag: '1',
        insutype: '310',
        invono: 'FP20240515001',
        mid_setl_flag: '0',
      },
    },
    output: {
      setlinfo: { ...settlementAnswer, setl_id: SETL_ID, clr_optins: '420100', clr_way: '1', clr_type: '21' },
      setldetail: [fundPayment],
    },
  },
  '2305': {
    input: { data: { mdtrt_id: MDTRT_ID, setl_id: SETL_ID, psn_no: PSN_NO } },
    output: {
      setlinfo: {
        mdtrt_id: MDTRT_ID,
        setl_id: '420100202405160000012399',
        clr_optins: '420100',
        setl_time: '2024-05-16 10:00:00',
        medins_setl_id: `${FIXMEDINS_CODE}202405161000000002`,
        medfee_sumamt: -12345.67,
        hifp_pay: -8859.94,
        fund_pay_sumamt: -8859.94,
        acct_pay: -1000,
        psn_cash_pay: -2485.73,
        balc: 3350.4,
        acct_mulaid_pay: 0,
        hifdm_pay: 0,
      },
      setldetail: [
        { ...fundPayment, inscp_scp_amt: -11874.92, crt_payb_lmt_amt: -8859.94, fund_payamt: -8859.94 },
      ],
    },
  },
  '2601': { input: { data: { psn_no: PSN_NO, omsgid: MSGID, oinfno: '2304' } }, output: null },
  '3101': {
    input: {
      data: {
        trig_scen: '3',
        patient_dtos: [
          {
            patn_id: PSN_NO,
            patn_name: '张三',
            gend: '1',
            brdy: '1980-01-01',
            poolarea: '420100',
            curr_mdtrt_id: MDTRT_ID,
            fsi_encounter_dtos: [
              {
                mdtrt_id: MDTRT_ID,
                medins_id: FIXMEDINS_CODE,
                medins_name: '武汉市某某医院',
                medins_admdvs: '420100',
                medins_type: '1',
                medins_lv: '3',
                adm_date: '2024-05-06 09:12:00',
                dscg_main_dise_codg: 'J18.900',
                dscg_main_dise_name: '肺炎',
                fsi_diagnose_dtos: [
                  {
                    dise_id: 'ZD001',
                    inout_dise_type: '1',
                    maindise_flag: '1',
                    dias_srt_no: '1',
                    dise_codg: 'J18.900',
                    dise_name: '肺炎',
                    dise_date: '2024-05-06 09:30:00',
                  },
                ],
                med_mdtrt_type: '2',
                med_type: '21',
                fsi_order_dtos: [
                  {
                    rx_id: 'YZ0001',
                    long_drord_flag: '1',
                    hilist_code: 'XJ01DDA068B0',
                    hilist_name: '头孢曲松钠注射剂',
                    cnt: '2',
                    pric: '43.2',
                    sumamt: '86.40',
                    curr_drord_flag: '1',
                  },
                ],
                medfee_sumamt: '86.40',
                insutype: '310',
              },
            ],
          },
        ],
      },
    },
    output: { result: [] },
  },
  '3102': {
    input: {
      data: {
        trig_scen: '9',
        patient_dtos: [
          {
            patn_id: PSN_NO,
            curr_mdtrt_id: MDTRT_ID,
            fsi_encounter_dtos: [
              {
                mdtrt_id: MDTRT_ID,
                med_type: '21',
                insutype: '310',
                medfee_sumamt: '12345.67',
                dscg_date: '2024-05-15 09:00:00',
              },
            ],
          },
        ],
      },
    },
    output: {
      result: [
        {
          jr_id: 'JR0001',
          rule_id: 'R0042',
          rule_name: '限定支付范围',
          vola_cont: '头孢曲松钠限二线用药',
          patn_id: PSN_NO,
          mdtrt_id: MDTRT_ID,
          judge_result_detail_dtos: [
            {
              jrd_id: 'JRD0001',
              patn_id: PSN_NO,
              mdtrt_id: MDTRT_ID,
              rx_id: 'YZ0001',
              vola_item_type: '1',
              vola_amt: 86.4,
            },
          ],
          vola_amt: 86.4,
          vola_amt_stas: '1',
          sev_deg: '2',
          vola_evid: '医保目录限定支付范围',
          vola_bhvr_type: '1',
        },
      ],
    },
  },
  '4101A': {
    input: {
      setlinfo: {
        psn_no: PSN_NO,
        mdtrt_id: MDTRT_ID,
        setl_id: SETL_ID,
        medcasno: 'BA0098765',
        adm_way: '2',
        trt_type: '1',
        adm_time: '2024-05-06 09:12:00',
        dscg_time: '2024-05-15 09:00:00',
        dscg_caty: 'A03.01',
        otp_wm_dise: '社区获得性肺炎',
        wm_dise_code: 'J18.900',
        vent_used_dura: '0 0 0',
        lv1_nurscare_days: 2,
        scd_nurscare_days: 7,
        dscg_way: '1',
        bill_code: '42010024',
        bill_no: '0001234567',
        biz_sn: MSGID,
        chfpdr_code: 'D420100012345',
        setl_begn_date: '2024-05-06',
        setl_end_date: '2024-05-15',
        medins_fill_dept: '病案室',
        medins_fill_psn: '赵填报',
        resp_nurs_code: 'N0031',
        stas_type: '1',
        hi_paymtd: '4',
      },
      diseinfo: [
        { diag_type: '1', diag_code: 'J18.900', diag_name: '肺炎', adm_cond_type: '1', maindiag_flag: '1' },
      ],
      oprninfo: [
        {
          oprn_oprt_type: '1',
          oprn_oprt_name: '支气管镜检查',
          oprn_oprt_code: '33.2200',
          anst_way: '1',
          oper_dr_code: 'D420100012345',
          oprn_oprt_begntime: '2024-05-08 10:00:00',
          oprn_oprt_endtime: '2024-05-08 10:40:00',
        },
      ],
      icuinfo: [
        {
          scs_cutd_ward_type: '1',
          scs_cutd_inpool_time: '2024-05-07 10:00:00',
          scs_cutd_exit_time: '2024-05-08 23:24:00',
          scs_cutd_sum_dura: '1 13 24',
        },
      ],
    },
    output: { setl_list_id: '420100202405160000000321' },
  },
  '4102': {
    input: { data: { stastinfo: [{ psn_no: PSN_NO, setl_id: SETL_ID, stas_type: '0' }] } },
    output: null,
  },
  '4401': {
    input: {
      baseinfo: {
        ...recordKeys,
        ipt_no: IPT_NO,
        medcasno: 'BA0098765',
        psn_name: '张三',
        gend: '1',
        adm_date: '2024-05-06 09:12:00',
        dscg_date: '2024-05-15 09:00:00',
        dscg_way: '1',
        medfee_sumamt: '12345.67',
        ordn_med_servfee: '450.00',
        'hcv-ab': '0',
        'hiv-ab': '0',
        fixmedins_code: FIXMEDINS_CODE,
      },
      diseinfo: [
        {
          ...recordKeys,
          ipt_medcas_hmpg_sn: 'SY0001',
          ipt_patn_disediag_type_code: '1',
          maindiag_flag: '1',
          diag_code: 'J18.900',
          diag_name: '肺炎',
          adm_cond_code: '1',
        },
      ],
    },
    output: null,
  },
  '4402': {
    input: {
      data: [
        {
          ...recordKeys,
          medcas_drord_detl_id: 'YZMX0001',
          ipt_bedno: '12-03',
          drord_no: 'YZ0001',
          drord_type: '1',
          drord_isu_no: '2024-05-06 09:40:00',
          drug_dosform: '注射剂',
          medc_begntime: '2024-05-06 10:00:00',
          medc_endtime: '2024-05-12 10:00:00',
        },
      ],
    },
    output: null,
  },
  '4501': {
    input: {
      examinfo: {
        ...recordKeys,
        appy_no: 'SQ0001',
        rpotc_no: 'JC0001',
        exam_date: '2024-05-06 14:00:00',
        rpt_date: '2024-05-06 16:00:00',
        exam_item_code: 'CT001',
        exam_item_name: '胸部CT平扫',
        exam_part: '胸部',
        exam_rslt_abn: '1',
        exam_ccls: '右下肺炎症',
      },
      imageinfo: [
        {
          rpotc_no: 'JC0001',
          study_uid: '1.2.840.113619.2.55.3.604688119.969.1715000000.123',
          modality: 'CT',
          series_count: 3,
          image_count: 240,
        },
      ],
    },
    output: null,
  },
  '4502': {
    input: {
      labinfo: {
        ...recordKeys,
        appy_no: 'SQ0002',
        rpotc_no: 'JY0001',
        exam_item_code: 'XCG',
        exam_item_name: '血常规',
        rpt_date: '2024-05-06 11:00:00',
        rpot_doc: '周检验',
        exam_charge: '25.00',
      },
      iteminfo: [
        {
          exam_item_detl_code: 'WBC',
          exam_item_detl_name: '白细胞计数',
          exam_rslt_val: '12.5',
          exam_unt: '10^9/L',
          ref_val: '3.5-9.5',
          exam_rslt_abn: '1',
        },
      ],
    },
    output: null,
  },
  '4503': { input: { data: [{ ...recordKeys, rpotc_no: 'PY0001', germ_name: '肺炎链球菌' }] }, output: null },
  '4504': {
    input: { data: [{ ...recordKeys, rpotc_no: 'YM0001', anti_name: '头孢曲松', sstv_rslt: 'S' }] },
    output: null,
  },
  '4505': {
    input: {
      data: {
        ...recordKeys,
        palg_no: 'BL2024000123',
        frozen_no: 'BD0001',
        cma_date: '2024-05-08 10:00:00',
        rpot_date: '2024-05-10 15:00:00',
        cma_matl: '肺组织',
        clnc_dise: '肺占位',
        exam_fnd: '镜下见炎性细胞浸润',
        sabc: 'CK(+)',
        palg_diag: '慢性炎症',
      },
    },
    output: null,
  },
  '4506': {
    input: {
      data: {
        ...recordKeys,
        otp_ipt_flag: '2',
        exam_test_flag: '1',
        appy_no: 'SQ0003',
        file_name: 'report.pdf',
        file_formate: 'pdf',
        exam_test_rpot: 'JVBERi0xLjQK',
      },
    },
    output: null,
  },
  '3201': {
    input: {
      data: {
        insutype: '310',
        clr_type: '21',
        setl_optins: '420100',
        stmt_begndate: '2024-05-15',
        stmt_enddate: '2024-05-15',
        medfee_sumamt: '12345.67',
        fund_pay_sumamt: '8859.94',
        acct_pay: '1000.00',
        fixmedins_setl_cnt: 1,
        refd_setl_flag: '1',
      },
    },
    output: { stmtinfo: { setl_optins: '420100', stmt_rslt: '0', stmt_rslt_dscr: '平' } },
  },
  '3202': {
    input: {
      data: {
        setl_optins: '420100',
        file_qury_no: 'fsi/up/20240516000000000001',
        stmt_begndate: '2024-05-15',
        stmt_enddate: '2024-05-15',
        medfee_sumamt: '12345.67',
        fund_pay_sumamt: '8859.94',
        cash_payamt: '2485.73',
        fixmedins_setl_cnt: 1,
        clr_type: '21',
        refd_setl_flag: '1',
      },
    },
    output: {
      fileinfo: {
        file_qury_no: 'fsi/st/20240516000000000002',
        filename: 'result.zip',
        dld_endtime: '2024-05-17 23:59:59',
      },
    },
  },
  '3203': {
    input: {
      data: {
        clr_type: '21',
        clr_way: '1',
        setlym: '202405',
        psntime: 1,
        medfee_sumamt: '12345.67',
        med_sumfee: '12345.67',
        fund_appy_sum: '8859.94',
        cash_payamt: '2485.73',
        acct_pay: '1000.00',
        begndate: '2024-05-01',
        enddate: '2024-05-31',
      },
    },
    output: { result: { clr_appy_evt_id: '420100202406010000000001' } },
  },
  '3204': {
    input: { data: { clr_appy_evt_id: '420100202406010000000001' } },
    output: null,
  },
  '3202A': {
    input: {
      data: {
        clr_type: '21',
        setlym: '202405',
        psntime: 1,
        medfee_sumamt: '12345.67',
        med_sumfee: '12345.67',
        fund_appy_sum: '8859.94',
        cash_payamt: '2485.73',
        acct_pay: '1000.00',
        begndate: '2024-05-01',
        enddate: '2024-05-31',
        clr_optins: '420100',
      },
    },
    output: { result: { clr_appy_evt_id: '420100202406010000000001' } },
  },
  '3204A': {
    input: { data: { clr_appy_evt_id: '420100202406010000000001', clr_optins: '420100' } },
    output: null,
  },
  '1608': {
    input: {
      data: {
        clr_type: '21',
        setlym: '202405',
        psntime: 1,
        medfee_sumamt: '3000.00',
        med_sumfee: '3000.00',
        fund_appy_sum: '2100.00',
        cash_payamt: '900.00',
        acct_pay: '0.00',
        begndate: '2024-05-01',
        enddate: '2024-05-31',
        clr_optins: '420500',
      },
    },
    output: { result: { clr_appy_evt_id: '420100202406010000000002' } },
  },
  '1618': {
    input: { data: { clr_appy_evt_id: '420100202406010000000002', clr_optins: '420500' } },
    output: null,
  },
  '3205A': {
    input: {
      data: {
        clr_optins: '420100',
        clr_ym: '202405',
        clr_type: '21',
        clr_appy_evt_id: '420100202406010000000001',
      },
    },
    output: {
      clr_appys: [
        {
          clr_appy_evt_id: '420100202406010000000001',
          clr_stas: '10',
          clr_ym: '202405',
          clr_type: '21',
          clr_optins: '420100',
          fixmedins_code: FIXMEDINS_CODE,
          medfee_sumamt: '12345.67',
          fund_appy_sum: '8859.94',
          cash_payamt: '2485.73',
          acct_pay: '1000.00',
          psntime: '1',
          begndate: '2024-05-01',
          enddate: '2024-05-31',
          opt_time: '2024-06-01 09:30:00',
        },
      ],
    },
  },
  '5203': {
    input: { data: { psn_no: PSN_NO, setl_id: SETL_ID, mdtrt_id: MDTRT_ID } },
    output: {
      setlinfo: SETTLEMENT_RECORD,
      setldetail: [],
    },
  },
  '5262': {
    input: {
      data: { begntime: '2024-05-15 00:00:00', endtime: '2024-05-15 23:59:59', page_num: 1, page_size: 100 },
    },
    output: { totalRow: 1, totalPage: 1, setlinfo: [SETTLEMENT_RECORD] },
  },
  '5267': {
    input: {
      data: { begntime: '2024-05-15 00:00:00', endtime: '2024-05-15 23:59:59', page_num: 1, page_size: 100 },
    },
    output: { totalRow: '0', totalPage: '0', setlinfo: [] },
  },
  '9101': {
    input: {
      fsUploadIn: { in: 'UEsDBBQAAAAIAA==', filename: 'stmt.txt.zip', fixmedins_code: FIXMEDINS_CODE },
    },
    output: {
      file_qury_no: 'fsi/up/20240516000000000001',
      filename: 'stmt.txt.zip',
      fixmedins_code: FIXMEDINS_CODE,
      dld_endtime: '2024-05-17 23:59:59',
    },
  },
  '1312': {
    input: { data: { updt_time: '2024-01-01 00:00:00', page_num: 1, page_size: 1000 } },
    output: {
      pageNum: 1,
      pageSize: 1000,
      pages: 1,
      recordCounts: 1,
      data: [
        {
          hilist_code: 'XJ01DDA068B002010101445',
          hilist_name: '注射用头孢曲松钠',
          insu_admdvs: '420100',
          begndate: '2024-01-01',
          enddate: '',
          med_chrgitm_type: '09',
          chrgitm_lv: '02',
          lmt_used_flag: '0',
          list_type: '101',
          vali_flag: '1',
          rid: '420000000000000000000001',
          updt_time: '2024-05-06 10:00:00',
        },
      ],
    },
  },
  '1312A': {
    input: { data: { updt_time: '2024-01-01 00:00:00', page_num: 1, page_size: 1000 } },
    output: { pageNum: 1, pages: 0, recordCounts: 0, data: [] },
  },
  '1318': {
    input: { data: { updt_time: '2024-01-01 00:00:00', page_num: 1, page_size: 1000 } },
    output: {
      pageNum: 1,
      pages: 1,
      recordCounts: 1,
      data: [
        {
          hilist_code: 'XJ01DDA068B002010101445',
          hilist_lmtpric_type: '1',
          overlmt_dspo_way: '1',
          insu_admdvs: '420100',
          begndate: '2024-01-01',
          hilist_pric_uplmt_amt: 50,
          vali_flag: '1',
          rid: '420000000000000000100001',
          updt_time: '2024-05-06 10:00:00',
        },
      ],
    },
  },
  '1319': {
    input: { data: { updt_time: '2024-01-01 00:00:00', page_num: 1, page_size: 1000 } },
    output: {
      pageNum: 1,
      pages: 1,
      recordCounts: 1,
      data: [
        {
          hilist_code: 'XJ01DDA068B002010101445',
          selfpay_prop_psn_type: '1',
          selfpay_prop_type: '1',
          insu_admdvs: '420100',
          begndate: '2024-01-01',
          selfpay_prop: '0.1',
          vali_flag: '1',
          rid: '420000000000000000200001',
          updt_time: '2024-05-06 10:00:00',
        },
      ],
    },
  },
  '1901': {
    input: { data: { type: 'med_type', admdvs: '420100', date: '2024-05-06', valiFlag: '1' } },
    output: {
      list: [
        {
          type: 'med_type',
          label: '普通住院',
          value: '21',
          parentValue: '',
          sort: 1,
          valiFlag: '1',
          version: 1,
        },
      ],
    },
  },
  '3301': {
    input: {
      data: [
        {
          fixmedins_hilist_id: 'YP000123',
          fixmedins_hilist_name: '头孢曲松钠针 1g',
          list_type: '101',
          med_list_codg: 'XJ01DDA068B002010101445',
          begndate: '2024-05-06',
          enddate: '2099-12-31',
          spec: '1g',
        },
      ],
    },
    output: null,
  },
  '3302': {
    input: {
      data: {
        fixmedins_code: FIXMEDINS_CODE,
        fixmedins_hilist_id: 'YP000123',
        list_type: '101',
        med_list_codg: 'XJ01DDA068B002010101445',
      },
    },
    output: null,
  },
  '1307': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1307-1',
      filename: '1307_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 1000,
    },
  },
  '1308': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1308-1',
      filename: '1308_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 0,
    },
  },
  '1310': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1310-1',
      filename: '1310_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 120,
    },
  },
  '1311': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1311-1',
      filename: '1311_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 120,
    },
  },
  '1313': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1313-1',
      filename: '1313_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 120,
    },
  },
  '1314': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1314-1',
      filename: '1314_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 120,
    },
  },
  '1315': {
    input: { data: { ver: '0' } },
    output: {
      file_qury_no: 'fsi/plc/1315-1',
      filename: '1315_1.txt.zip',
      dld_end_time: '2024-05-07',
      data_cnt: 120,
    },
  },
  '9102': {
    input: {
      fsDownloadIn: { file_qury_no: 'fsi/plc/1307-1', filename: '1307_1.txt.zip', fixmedins_code: 'plc' },
    },
    output: null,
  },
  '5201': {
    input: {
      data: {
        psn_no: PSN_NO,
        begntime: '2024-05-01 00:00:00',
        endtime: '2024-05-31 23:59:59',
        med_type: '21',
      },
    },
    output: {
      mdtrtinfo: [
        {
          mdtrt_id: MDTRT_ID,
          psn_no: PSN_NO,
          ...PERSON_NAMED,
          insutype: '310',
          psn_type: '1101',
          cvlserv_flag: '0',
          begntime: '2024-05-06 09:12:00',
          endtime: '2024-05-15 09:00:00',
          mdtrt_cert_type: '02',
          med_type: '21',
          ipt_otp_no: IPT_NO,
          adm_dept_codg: 'A03.01',
          adm_dept_name: '呼吸内科',
          dscg_maindiag_code: 'J18.900',
          dscg_maindiag_name: '肺炎',
          dscg_way: '1',
          inhosp_stas: '0',
          ipt_days: 9,
          opt_time: '2024-05-15 09:00:05',
        },
      ],
    },
  },
  '5202': {
    input: { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } },
    output: {
      diseinfo: [
        {
          diag_info_id: '420100202405060000000001',
          mdtrt_id: MDTRT_ID,
          inout_diag_type: '1',
          ...admissionDiagnosis,
        },
      ],
    },
  },
  '5204': {
    input: { data: { psn_no: PSN_NO, setl_id: SETL_ID, mdtrt_id: MDTRT_ID } },
    output: [
      {
        mdtrt_id: MDTRT_ID,
        setl_id: SETL_ID,
        med_type: '21',
        fee_ocur_time: '2024-05-06 10:00:00',
        ...PRICED_FEE_LINE,
        hilist_code: 'XJ01DDA068B002010101445',
        hilist_name: '注射用头孢曲松钠',
        list_type: '101',
        med_list_codg: 'XJ01DDA068B002010101445',
        medins_list_codg: 'YP000123',
        medins_list_name: '头孢曲松钠针 1g',
        dosform_name: '注射剂',
      },
    ],
  },
  '5205': {
    input: { data: { psn_no: PSN_NO, begntime: '2024-01-01 00:00:00', endtime: '2024-05-31 23:59:59' } },
    output: {
      feedetail: [
        {
          feedetl_sn: 'MZ202404100001',
          fixmedins_code: FIXMEDINS_CODE,
          fixmedins_name: '武汉市某某医院',
          psn_no: PSN_NO,
          med_type: '14',
          fee_ocur_time: '2024-04-10 10:20:00',
          cnt: '30',
          pric: '1.25',
          chrgitm_lv: '01',
          hilist_code: 'XA10BAA001A001010100028',
          hilist_name: '二甲双胍片',
          list_type: '101',
          med_list_codg: 'XA10BAA001A001010100028',
          medins_list_codg: 'YP000456',
          medins_list_name: '盐酸二甲双胍片 0.5g',
          med_chrgitm_type: '09',
          spec: '0.5g*30片',
        },
      ],
    },
  },
  '5206': {
    input: { data: { psn_no: PSN_NO, cum_ym: '202405' } },
    output: {
      cuminfo: [
        { insutype: '310', year: '2024', cum_ym: '202405', cum_type_code: 'Q0000', cum: 800 },
        { insutype: '310', year: '2024', cum_ym: '202405', cum_type_code: 'S0000', cum: '12345.67' },
        { insutype: '310', year: '2024', cum_ym: '202405', cum_type_code: 'C0000', cum: 1 },
      ],
    },
  },
  '5301': {
    input: { data: { psn_no: PSN_NO } },
    output: {
      feedetail: [
        { opsp_dise_code: 'M03900', opsp_dise_name: '糖尿病', begndate: '2023-03-01', enddate: '2099-12-31' },
      ],
    },
  },
  '5302': {
    input: { data: { psn_no: PSN_NO, biz_appy_type: '03' } },
    output: {
      psnfixmedin: [
        {
          psn_no: PSN_NO,
          insutype: '310',
          fix_srt_no: '1',
          fixmedins_code: FIXMEDINS_CODE,
          fixmedins_name: '武汉市某某医院',
          begndate: '2024-01-01',
          enddate: null,
        },
      ],
    },
  },
  '5303': {
    input: { data: { begntime: '2024-05-01 00:00:00', endtime: '2024-05-31 23:59:59' } },
    output: {
      data: [
        {
          mdtrt_id: MDTRT_ID,
          psn_no: PSN_NO,
          ...PERSON_NAMED,
          brdy: '1980-01-01',
          age: 44.3,
          insutype: '310',
          begndate: '2024-05-06',
          med_type: '21',
          ipt_otp_no: IPT_NO,
          out_flag: '0',
        },
      ],
    },
  },
  '5304': {
    input: { data: { psn_no: PSN_NO, begntime: '2024-01-01 00:00:00' } },
    output: {
      refmedin: [
        {
          insutype: '310',
          dcla_souc: '1',
          psn_no: PSN_NO,
          ...PERSON_NAMED,
          diag_code: 'J18.900',
          diag_name: '肺炎',
          reflin_medins_no: 'H42010200456',
          reflin_medins_name: '武汉市第一医院',
          refl_date: '2024-05-16',
          refl_rea: '病情需要上级医院进一步诊治',
          begndate: '2024-05-16',
          enddate: '2024-06-15',
          hosp_agre_refl_flag: '1',
        },
      ],
    },
  },
  '4103': {
    input: { data: { psn_no: PSN_NO, setl_id: SETL_ID } },
    output: {
      setlinfo: {
        setl_id: SETL_ID,
        setl_list_id: '420100202405200000000001',
        psn_no: PSN_NO,
        mdtrt_id: MDTRT_ID,
        ipt_med_type: '1',
        adm_way_code: '1',
        act_ipt_days: 9,
        dscg_way: '1',
        bill_code: '42010024',
        bill_no: '00012345',
        setl_begndate: '2024-05-06',
        setl_enddate: '2024-05-15',
        psn_selfpay_amt: 2635.48,
        psn_ownpay_fee: 320.5,
        acct_payamt: 1000,
        psn_cashpay: 2485.73,
        hi_paymtd: '1',
        stas_type: '1',
        chk_cont: '',
      },
      payinfo: [{ fund_pay_type: '310100', fund_payamt: 8859.94 }],
      diseinfo: [{ setl_list_diag_id: '1', diag_type: '1', diag_code: 'J18.900', maindiag_flag: '1' }],
      iteminfo: [{ med_chrgitm_type: '09', item_sumamt: 12345.67 }],
      oprninfo: [],
      icuinfo: [],
      bldinfo: [],
    },
  },
  YH03: {
    input: { data: { psn_no: '42000000000000000001', mdtrt_id: 'MD420100001', setl_id: 'S420100001' } },
    output: { file_qury_no: 'fsi/st/S420100001', filename: 'S420100001.pdf' },
  },
};
