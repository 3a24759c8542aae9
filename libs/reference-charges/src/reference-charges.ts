/**
 * The reference hospital's charge catalogue (收费项目目录), each item matched to the national medical list: the one
 * list of codes the HIS simulator charges from (tools/his-sim) and the platform sandbox's generated catalogue holds
 * (apps/platform-sim), so that a sandbox refusing codes outside its catalogue accepts every simulated line.
 * Codes follow the national formats: 西药 X + ATC + serials (23), 中成药 Z… (20), medical services 15-digit
 * service code + '-' + the 9-digit price-item code, materials C + 23 digits. Items the sandbox's fee rules price
 * themselves keep its codes, so their pricing (甲/乙/丙, ceilings) applies. Prices are fictitious but plausible
 * for a Hubei tertiary hospital after volume-based procurement.
 */
export type FeeItemKind =
  | 'western_drug'
  | 'chinese_patent_drug'
  | 'bed'
  | 'nursing'
  | 'consultation'
  | 'treatment'
  | 'exam'
  | 'lab'
  | 'surgery'
  | 'anaesthesia'
  | 'material';

export interface FeeItem {
  /** The HIS's own code (医药机构目录编码). */
  readonly medins_list_codg: string;
  /** The national code (医疗目录编码). */
  readonly med_list_codg: string;
  readonly name: string;
  readonly kind: FeeItemKind;
  readonly unit: string;
  /** Unit price, a decimal string (platform 16,6). */
  readonly pric: string;
}

function item(
  medins_list_codg: string,
  med_list_codg: string,
  name: string,
  kind: FeeItemKind,
  unit: string,
  pric: string,
): FeeItem {
  return { medins_list_codg, med_list_codg, name, kind, unit, pric };
}

export const FEE_CATALOGUE: readonly FeeItem[] = [
  // 西药
  item('YP0001', 'XJ01DDA068B002010101445', '注射用头孢曲松钠 1g', 'western_drug', '支', '16.80'),
  item('YP0002', 'XJ01CAA040A001010101445', '阿莫西林胶囊 0.25g*24粒', 'western_drug', '盒', '12.50'),
  item('YP0003', 'XB05BAA140B002010100520', '人血白蛋白注射液 10g', 'western_drug', '瓶', '398.00'),
  item('YP0004', 'XB05BBA043B002010100115', '氯化钠注射液 0.9% 250ml', 'western_drug', '瓶', '2.45'),
  item('YP0005', 'XB05BAG027B002010100116', '葡萄糖注射液 5% 250ml', 'western_drug', '瓶', '2.60'),
  item('YP0006', 'XA02BCA092B001010100412', '注射用奥美拉唑钠 40mg', 'western_drug', '支', '9.85'),
  item('YP0007', 'XC10AAA151A001010100298', '阿托伐他汀钙片 20mg*7片', 'western_drug', '盒', '8.76'),
  item('YP0008', 'XB01ACA056A001010100543', '阿司匹林肠溶片 100mg*30片', 'western_drug', '盒', '15.80'),
  item('YP0009', 'XB01ABA051B002010100789', '依诺肝素钠注射液 0.4ml:4000IU', 'western_drug', '支', '32.50'),
  item('YP0010', 'XC03CAA034B002010100345', '呋塞米注射液 2ml:20mg', 'western_drug', '支', '0.65'),
  item('YP0011', 'XN02BEA001A001010100231', '对乙酰氨基酚片 0.5g', 'western_drug', '片', '0.3650'),
  item('YP0012', 'XR05CBA028B002010100678', '盐酸氨溴索注射液 2ml:15mg', 'western_drug', '支', '3.52'),
  item('YP0013', 'XJ01FAA054B002010100890', '注射用阿奇霉素 0.5g', 'western_drug', '支', '22.30'),
  item('YP0014', 'XJ01XDA086B002010100123', '甲硝唑氯化钠注射液 100ml:0.5g', 'western_drug', '瓶', '4.80'),
  item('YP0015', 'XA10ABA185B002010100456', '门冬胰岛素注射液 3ml:300IU', 'western_drug', '支', '68.00'),
  item('YP0016', 'XC01DAA107B002010100349', '硝酸甘油注射液 1ml:5mg', 'western_drug', '支', '1.35'),
  item('YP0017', 'XC07ABA131A001010100521', '琥珀酸美托洛尔缓释片 47.5mg*7片', 'western_drug', '盒', '10.92'),
  item('YP0018', 'XN01AXA010B002010100776', '丙泊酚乳状注射液 20ml:0.2g', 'western_drug', '支', '46.00'),
  item('YP0019', 'XN01AHA171B002010100862', '枸橼酸芬太尼注射液 2ml:0.1mg', 'western_drug', '支', '3.80'),
  item('YP0020', 'XH02ABA090B002010100119', '地塞米松磷酸钠注射液 1ml:5mg', 'western_drug', '支', '0.55'),
  item('YP0021', 'XJ01DCA087A001010100543', '注射用头孢呋辛钠 0.75g', 'western_drug', '支', '18.30'),
  item('YP0022', 'XH01BBA067B002010100287', '缩宫素注射液 1ml:10U', 'western_drug', '支', '3.18'),
  item(
    'YP0023',
    'XR03ACA136L020010100218',
    '硫酸沙丁胺醇吸入气雾剂 100μg*200揿',
    'western_drug',
    '瓶',
    '24.70',
  ),
  item('YP0024', 'XM01AEA009X001010100654', '布洛芬混悬液 100ml:2g', 'western_drug', '瓶', '19.90'),
  item('YP0025', 'XB01ACA125A001010100837', '硫酸氢氯吡格雷片 75mg*7片', 'western_drug', '盒', '7.46'),
  // 中成药
  item('ZY0001', 'ZA01AAL0291010100512', '连花清瘟胶囊 0.35g*24粒', 'chinese_patent_drug', '盒', '14.80'),
  item('ZY0002', 'ZA06BAS0070030100384', '痰热清注射液 10ml', 'chinese_patent_drug', '支', '48.60'),
  item('ZY0003', 'ZA12HAD0406010101215', '丹红注射液 10ml', 'chinese_patent_drug', '支', '36.90'),
  item('ZY0004', 'ZA12BAF0201010100779', '复方丹参滴丸 27mg*180丸', 'chinese_patent_drug', '瓶', '25.60'),
  item('ZY0005', 'ZB01BAF0011010100226', '益母草颗粒 15g*10袋', 'chinese_patent_drug', '盒', '16.50'),
  // 床位 / 护理 / 诊查 / 治疗
  item('CW0001', '001102000010000-110200001', '普通病房床位费(三人间)', 'bed', '日', '45.00'),
  item('CW0002', '001102000030000-110200003', '监护病房床位费', 'bed', '日', '150.00'),
  item('CW0003', 'ZA04BAA0001010100000', '特需病房床位费', 'bed', '日', '600.00'),
  item('HL0001', '001201000010000-120100001', '重症监护', 'nursing', '小时', '12.00'),
  item('HL0002', '001201000020000-120100002', '特级护理', 'nursing', '日', '130.00'),
  item('HL0003', '001201000030000-120100003', 'Ⅰ级护理', 'nursing', '日', '36.00'),
  item('HL0004', '001201000040000-120100004', 'Ⅱ级护理', 'nursing', '日', '24.00'),
  item('ZC0001', '001109000010000-110900001', '住院诊查费', 'consultation', '日', '25.00'),
  item('ZL0001', '001204000060000-120400006', '静脉输液', 'treatment', '组', '8.00'),
  item('ZL0002', '001204000010000-120400001', '肌肉注射', 'treatment', '次', '3.00'),
  item('ZL0003', '001211000010000-121100001', '氧气吸入', 'treatment', '小时', '3.50'),
  item('ZL0004', '003107010010000-310701001', '常规心电图检查', 'exam', '次', '25.00'),
  // 检查
  item('JC0001', '002701000010000-270100001', 'CT平扫', 'exam', '部位', '240.00'),
  item('JC0002', '002101020150000-210102015', '数字化摄影(DR)', 'exam', '片', '80.00'),
  item('JC0003', '002206000010000-220600001', '彩色多普勒超声常规检查', 'exam', '部位', '160.00'),
  item('JC0004', '002104000010000-210400001', '磁共振平扫', 'exam', '部位', '480.00'),
  // 检验
  item('JY0001', '002501010150000-250101015', '血细胞分析(血常规)', 'lab', '项', '20.00'),
  item('JY0002', '002501020350000-250102035', '尿液分析', 'lab', '项', '12.00'),
  item('JY0003', '002503010010000-250301001', '肝功能检测', 'lab', '组', '68.00'),
  item('JY0004', '002503070050000-250307005', '肾功能检测', 'lab', '组', '36.00'),
  item('JY0005', '002503030010000-250303001', '葡萄糖测定', 'lab', '项', '5.00'),
  item('JY0006', '002503040010000-250304001', '电解质测定', 'lab', '组', '24.00'),
  item('JY0007', '002504030010000-250403001', 'C反应蛋白测定', 'lab', '项', '30.00'),
  item('JY0008', '002502030010000-250203001', '凝血功能检测', 'lab', '组', '62.00'),
  item('JY0009', '002503100110000-250310011', '肌钙蛋白I测定', 'lab', '项', '85.00'),
  item('JY0010', '002505010050000-250501005', '一般细菌培养及鉴定', 'lab', '次', '90.00'),
  item('JY0011', '002505020010000-250502001', '常规药敏定量试验(MIC)', 'lab', '组', '120.00'),
  item('BL0001', '002703000010000-270300001', '局部切除组织活检检查与诊断', 'lab', '例', '230.00'),
  // 手术 / 麻醉
  item('SS0001', '003310040010000-331004001', '阑尾切除术', 'surgery', '次', '1180.00'),
  item('SS0002', '003311010050000-331101005', '腹腔镜胆囊切除术', 'surgery', '次', '2850.00'),
  item('SS0003', '003315040020000-331504002', '股骨颈骨折闭合复位内固定术', 'surgery', '次', '2600.00'),
  item('SS0004', '003315060010000-331506001', '人工全髋关节置换术', 'surgery', '次', '4300.00'),
  item('SS0005', '003313040010000-331304001', '子宫下段剖宫产术', 'surgery', '次', '1650.00'),
  item('SS0006', '003206000030000-320600003', '经皮冠状动脉支架置入术', 'surgery', '次', '3900.00'),
  item('SS0007', '003312050010000-331205001', '腹腔镜子宫肌瘤剔除术', 'surgery', '次', '2450.00'),
  item('MZ0001', '003301000030000-330100003', '全身麻醉', 'anaesthesia', '2小时', '780.00'),
  item('MZ0002', '003301000050000-330100005', '椎管内麻醉', 'anaesthesia', '2小时', '480.00'),
  // 卫生材料
  item('CL0001', 'C14040109900000000000000', '一次性使用静脉输液针', 'material', '支', '1.80'),
  item('CL0002', 'C14040109800000000000000', '一次性使用输液器 带针', 'material', '套', '3.50'),
  item('CL0003', 'C03130110000000000000000', '一次性使用无菌注射器 5ml', 'material', '支', '0.60'),
  item('CL0004', 'C10130116200000000000000', '可吸收外科缝线', 'material', '根', '128.00'),
  item('CL0005', 'C01020204100000000000000', '冠状动脉药物洗脱支架', 'material', '个', '798.00'),
  item('CL0006', 'C13010113900000000000000', '髋关节假体(集采)', 'material', '套', '7200.00'),
  item('CL0007', 'C13020101200000000000000', '锁定加压接骨板', 'material', '块', '1650.00'),
  item('CL0008', 'C06020100200000000000000', '一次性使用腹腔镜穿刺器', 'material', '套', '368.00'),
  item('CL0009', 'C14020109800000000000000', '中心静脉导管包', 'material', '套', '235.00'),
  item('CL0010', 'C14050101000000000000000', '一次性使用吸痰管', 'material', '根', '2.10'),
];

const BY_HIS_CODE = new Map(FEE_CATALOGUE.map((entry) => [entry.medins_list_codg, entry]));

/** The catalogue item with this HIS code; throws naming the code, since reference data must be consistent. */
export function feeItem(medins_list_codg: string): FeeItem {
  const found = BY_HIS_CODE.get(medins_list_codg);
  if (!found) throw new Error(`fee catalogue has no item medins_list_codg=${medins_list_codg}`);
  return found;
}
