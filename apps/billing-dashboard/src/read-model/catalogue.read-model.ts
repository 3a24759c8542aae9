import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/**
 * 目录对照: the hospital's items (the HIS's list or the dashboard's CSV import; an item published again is
 * updated, one left out stays), each item's mapping as the platform holds it (3301 mapped, 3302 withdrawn), and
 * the fee lines fee-detail holds while their item is not mapped or their price is above 1318's limit
 * (FeeLinesHeld, with the finding), until released or a person decides (HeldFeeLinesDecided), and each
 * catalogue's version as last downloaded (a record older than the one held changes nothing).
 */
export function catalogueReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    HospitalItemsPublished: async (d, x) => {
      const column = <K extends keyof (typeof d.items)[number]>(key: K) =>
        d.items.map((item) => item[key] ?? null);
      await x.m.query(
        `INSERT INTO ${t.hospitalItems} (fixmedins_hilist_id, fixmedins_hilist_name, list_type, spec, prdr_name,
           dosform, prcunt, aprvno, pric, list_id, published_at)
         SELECT *, $10::text, $11::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
           $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[])
         ON CONFLICT (fixmedins_hilist_id) DO UPDATE SET fixmedins_hilist_name = EXCLUDED.fixmedins_hilist_name,
           list_type = EXCLUDED.list_type, spec = EXCLUDED.spec, prdr_name = EXCLUDED.prdr_name,
           dosform = EXCLUDED.dosform, prcunt = EXCLUDED.prcunt, aprvno = EXCLUDED.aprvno, pric = EXCLUDED.pric,
           list_id = EXCLUDED.list_id, published_at = EXCLUDED.published_at`,
        [
          column('fixmedins_hilist_id'),
          column('fixmedins_hilist_name'),
          column('list_type'),
          column('spec'),
          column('prdr_name'),
          column('dosform'),
          column('prcunt'),
          column('aprvno'),
          column('pric'),
          d.list_id,
          x.at,
        ],
      );
      x.changed('catalogue');
    },
    ItemMappingPublished: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.hospitalItems} (fixmedins_hilist_id, mapping_status, med_list_codg, hilist_name,
           begndate, enddate, pric_uplmt_amt, selfpay_prop, mapped_by, mapped_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (fixmedins_hilist_id) DO UPDATE SET mapping_status = EXCLUDED.mapping_status,
           med_list_codg = EXCLUDED.med_list_codg, hilist_name = EXCLUDED.hilist_name,
           begndate = EXCLUDED.begndate, enddate = EXCLUDED.enddate, pric_uplmt_amt = EXCLUDED.pric_uplmt_amt,
           selfpay_prop = EXCLUDED.selfpay_prop, mapped_by = EXCLUDED.mapped_by, mapped_at = EXCLUDED.mapped_at`,
        [
          d.fixmedins_hilist_id,
          d.status,
          d.med_list_codg,
          d.hilist_name ?? null,
          d.begndate ?? null,
          d.enddate ?? null,
          d.pric_uplmt_amt ?? null,
          d.selfpay_prop ?? null,
          d.mapped_by,
          x.at,
        ],
      );
      x.changed('catalogue');
    },
    CatalogueVersionDownloaded: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.catalogueVersions} (infno, version, rows, trigger, requested_by, started_at, downloaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (infno) DO UPDATE SET version = EXCLUDED.version, rows = EXCLUDED.rows,
           trigger = EXCLUDED.trigger, requested_by = EXCLUDED.requested_by, started_at = EXCLUDED.started_at,
           downloaded_at = EXCLUDED.downloaded_at
         WHERE ${t.catalogueVersions}.downloaded_at <= EXCLUDED.downloaded_at`,
        [d.infno, d.version, d.rows, d.trigger, d.requested_by ?? null, d.started_at, d.downloaded_at],
      );
      x.changed('catalogue');
    },
    FeeLinesHeld: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.heldLines} (ipt_no, feedetl_sn, medins_list_codg, reason, finding, held_at)
         SELECT $1::text, *, $6::timestamptz FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[])
         ON CONFLICT (ipt_no, feedetl_sn) DO UPDATE SET medins_list_codg = EXCLUDED.medins_list_codg,
           reason = EXCLUDED.reason, finding = EXCLUDED.finding, held_at = EXCLUDED.held_at, released_at = NULL,
           med_list_codg = NULL, decision = NULL, decided_by = NULL, decision_comment = NULL`,
        [
          d.ipt_no,
          d.lines.map((l) => l.feedetl_sn),
          d.lines.map((l) => l.medins_list_codg),
          d.lines.map((l) => l.reason),
          d.lines.map((l) => (l.finding ? JSON.stringify(l.finding) : null)),
          x.at,
        ],
      );
      x.changed('catalogue', d.ipt_no);
    },
    // VOID ends the hold here; UPLOAD_ANYWAY's FeeLinesReleased that follows ends it.
    HeldFeeLinesDecided: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.heldLines} SET decision = $3, decided_by = $4, decision_comment = $5,
           released_at = CASE WHEN $3 = 'VOID' THEN $6::timestamptz ELSE released_at END
         WHERE ipt_no = $1 AND feedetl_sn = ANY($2::text[])`,
        [d.ipt_no, d.feedetl_sns, d.decision, d.decided_by.username, d.comment, x.at],
      );
      x.changed('catalogue', d.ipt_no);
    },
    FeeLinesReleased: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.heldLines} h SET released_at = $4, med_list_codg = r.med_list_codg
         FROM unnest($2::text[], $3::text[]) AS r(feedetl_sn, med_list_codg)
         WHERE h.ipt_no = $1 AND h.feedetl_sn = r.feedetl_sn`,
        [d.ipt_no, d.lines.map((l) => l.feedetl_sn), d.lines.map((l) => l.med_list_codg), x.at],
      );
      x.changed('catalogue', d.ipt_no);
    },
  };
}
