#!/usr/bin/env node
// Builds libs/platform-client/src/catalogue/catalogue.data.json from the two seed documents:
//   seeds/000_*.txt  the national interface catalogue (markdown, by category, with must-verify counts)
//   seeds/002_*.txt  Hubei's list (tab-separated, extracted from a PDF: columns drift, cells wrap)
// Every interface of both seeds becomes one entry. Hubei's list wins for what it describes (name,
// call mode, open flag, institution type, description); the national catalogue names the category.
//
//   node tools/catalogue/generate-catalogue.mjs          write the JSON
//   node tools/catalogue/generate-catalogue.mjs --check  exit 1 if the committed JSON is stale
//   --output <file>  write/check another file instead (tests)
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const seedsDir = join(here, 'seeds');
export const OUTPUT_PATH = join(repoRoot, 'libs/platform-client/src/catalogue/catalogue.data.json');

/** Interface codes: 4 digits with an optional letter (1306A, 4101a, 3592B), 6 digits, or YH03. */
const CODE = /^(\d{4}[A-Za-z]?|\d{6}|[A-Z]{2}\d{2})$/;
/** Spec §3.10: the transactions 2601 冲正 can reverse. */
const REVERSIBLE_BY_2601 = new Set(['2102', '2103', '2207', '2208', '2304', '2305', '2401']);
const CALL_MODES = { 实时: 'realtime', '定时/每天': 'daily' };
const OPEN_FLAGS = { 是: true, 否: false };
const INSTITUTION_TYPES = new Set(['通用', '定点医疗机构', '定点零售药店']);

function seedFile(prefix) {
  const name = readdirSync(seedsDir).find((file) => file.startsWith(prefix) && file.endsWith('.txt'));
  if (!name) throw new Error(`No seed ${prefix}*.txt in ${seedsDir}`);
  return { name, text: readFileSync(join(seedsDir, name), 'utf8') };
}

/** PDF extraction breaks Chinese cells with spaces ("2- 医保服 务"): Chinese names carry no spaces. */
const compact = (cell) => cell.replace(/\s+/g, '');
/** "3-住院结算" → "住院结算": the PDF's outline numbers are not part of the name. */
const label = (cell) => compact(cell).replace(/^[0-9A-Z]-/, '');

export function parseNational(text, file) {
  const entries = [];
  const mustVerify = [];
  let group = null;
  let subgroup = null;
  let inCounts = false;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line === '' || line.startsWith('# ')) return;
    let m;
    if ((m = /^## (?:\d+\. )?(.+?)(?: \([^)]*\))?$/.exec(line))) {
      inCounts = m[1] === '按机构类型的必验接口统计';
      group = m[1];
      subgroup = null;
    } else if (inCounts && (m = /^### (.+?)必验接口：(\d+)个$/.exec(line))) {
      mustVerify.push({ institutionType: m[1], count: Number(m[2]) });
    } else if (inCounts && /^(主要集中在|涵盖|全面覆盖)：/.test(line)) {
      mustVerify.at(-1).focus = line.replace(/^(主要集中在|涵盖|全面覆盖)：/, '');
    } else if ((m = /^### (?:[\d.]+ )?(.+)$/.exec(line))) {
      subgroup = m[1];
    } else if ((m = /^- (\S+) (.+)$/.exec(line))) {
      if (!CODE.test(m[1])) throw new Error(`${where}: "${m[1]}" is not an interface code`);
      if (!group) throw new Error(`${where}: interface before any category`);
      entries.push({
        rawCode: m[1],
        name: m[2].trim(),
        category: subgroup ? `${group} / ${subgroup}` : group,
      });
    } else {
      throw new Error(`${where}: unrecognised line "${line}"`);
    }
  });
  return { entries, mustVerify };
}

/**
 * Hubei's rows: the code is the first cell that looks like one; the call mode cell (实时 / 定时/每天)
 * anchors the rest, because the category and name columns drift. Before the mode: category labels
 * then the name (the last cell). After it: description, institution type, open flag (是/否).
 * Category cells of merged PDF cells appear only on the block's first row and carry forward.
 */
export function parseHubei(text, file) {
  const entries = [];
  let category = null;
  text.split('\n').forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    const cells = raw.split('\t').map((cell) => cell.trim());
    const codeAt = cells.findIndex((cell) => CODE.test(cell));
    if (codeAt < 0) {
      const line = compact(raw);
      const known =
        line === '' ||
        line === '湖北省医疗保障信息平台接口说明' ||
        line === '基线版' ||
        line.startsWith('类型接口编号') ||
        line.startsWith('备注：');
      if (!known) throw new Error(`${where}: row without an interface code "${raw}"`);
      return;
    }
    const modeAt = cells.findIndex((cell, i) => i > codeAt && cell in CALL_MODES);
    if (modeAt < 0) throw new Error(`${where}: no call mode (实时 / 定时/每天) in "${raw}"`);
    const before = [...cells.slice(0, codeAt), ...cells.slice(codeAt + 1, modeAt)].filter(Boolean);
    const name = compact(
      cells
        .slice(codeAt + 1, modeAt)
        .filter(Boolean)
        .at(-1) ?? '',
    );
    if (!name) throw new Error(`${where}: no name for ${cells[codeAt]}`);
    const labels = before
      .slice(0, -1)
      .map(label)
      .filter((l) => l !== '' && l !== '服务下延');
    if (labels.length > 0) category = labels.join(' / ');
    const after = cells.slice(modeAt + 1).filter(Boolean);
    const [description = null, ...rest] = after;
    let institutionTypes = null;
    let openInHubei = null;
    for (const cell of rest) {
      if (INSTITUTION_TYPES.has(cell)) institutionTypes = [cell];
      else if (cell in OPEN_FLAGS) openInHubei = OPEN_FLAGS[cell];
      else throw new Error(`${where}: unexpected cell "${cell}" after the description`);
    }
    entries.push({
      rawCode: cells[codeAt],
      name,
      category,
      callMode: CALL_MODES[cells[modeAt]],
      description: description && compact(description),
      institutionTypes,
      openInHubei,
    });
  });
  return entries;
}

/** Hubei writes some variants lower-case (4101a); the platform's infno is upper-case (4101A). */
const normalise = (code) => code.toUpperCase();

function indexByInfno(entries, file) {
  const byInfno = new Map();
  for (const entry of entries) {
    const infno = normalise(entry.rawCode);
    if (byInfno.has(infno)) throw new Error(`${file}: ${infno} listed twice`);
    byInfno.set(infno, entry);
  }
  return byInfno;
}

export function buildCatalogue() {
  const nationalSeed = seedFile('000_');
  const hubeiSeed = seedFile('002_');
  const national = parseNational(nationalSeed.text, nationalSeed.name);
  const nationalByInfno = indexByInfno(national.entries, nationalSeed.name);
  const hubeiByInfno = indexByInfno(parseHubei(hubeiSeed.text, hubeiSeed.name), hubeiSeed.name);

  const infnos = [...new Set([...nationalByInfno.keys(), ...hubeiByInfno.keys()])].sort();
  const entries = infnos.map((infno) => {
    const n = nationalByInfno.get(infno);
    const h = hubeiByInfno.get(infno);
    return {
      infno,
      name: h?.name ?? n.name,
      nationalName: n?.name ?? null,
      category: n?.category ?? h.category,
      callMode: h?.callMode ?? null,
      openInHubei: h ? h.openInHubei : null,
      institutionTypes: h?.institutionTypes ?? null,
      reversibleBy2601: REVERSIBLE_BY_2601.has(infno),
      hubeiDescription: h?.description ?? null,
      sources: [...(n ? ['national'] : []), ...(h ? ['hubei'] : [])],
      rawCodes: { national: n?.rawCode ?? null, hubei: h?.rawCode ?? null },
    };
  });
  return {
    generatedBy: 'tools/catalogue/generate-catalogue.mjs',
    seeds: { national: nationalSeed.name, hubei: hubeiSeed.name },
    counts: {
      national: nationalByInfno.size,
      hubei: hubeiByInfno.size,
      union: entries.length,
      hubeiOnly: entries.filter((e) => e.sources.length === 1 && e.sources[0] === 'hubei').length,
      nationalOnly: entries.filter((e) => e.sources.length === 1 && e.sources[0] === 'national').length,
    },
    mustVerifyByInstitutionType: national.mustVerify,
    entries,
  };
}

export const render = (catalogue) => `${JSON.stringify(catalogue, null, 2)}\n`;

function main(argv) {
  const outputAt = argv.indexOf('--output');
  const outputPath = outputAt >= 0 ? argv[outputAt + 1] : OUTPUT_PATH;
  if (!outputPath) throw new Error('--output needs a file path');
  const fresh = render(buildCatalogue());
  const shown = relative(repoRoot, outputPath);
  if (argv.includes('--check')) {
    const committed = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : null;
    if (committed !== fresh) {
      console.error(
        `${shown} is out of date with the seeds: run node tools/catalogue/generate-catalogue.mjs`,
      );
      process.exit(1);
    }
    console.log(`${shown} matches the seeds`);
    return;
  }
  writeFileSync(outputPath, fresh);
  const { counts } = JSON.parse(fresh);
  console.log(`wrote ${shown}: ${JSON.stringify(counts)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
