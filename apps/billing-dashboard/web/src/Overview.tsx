import * as echarts from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { type Row } from './api';
import { useDashboard, useLive } from './context';

/** One ECharts chart, resized with the window. */
function Chart({ option, testId }: { option: echarts.EChartsCoreOption; testId: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(element.current!);
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    // No animation: live updates redraw often, and a chart mid-animation misreads.
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);
  return <div className="chart" ref={element} data-testid={testId} />;
}

const todayInShanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function Overview() {
  const { t, l } = useDashboard();
  const [date, setDate] = useState(todayInShanghai);
  const { data } = useLive<Row>(`/api/overview?date=${date}&days=14`);
  const { data: health } = useLive<Row[]>(`/api/platform-health?from=${date}&to=${date}`);
  if (!data) return null;
  const c = data.counts;
  const days: string[] = data.admissions_discharges.map((d: Row) => d.day);
  const funds = [...new Set<string>(data.settled_by_fund.map((r: Row) => r.fund))];
  const card = (name: string, figure: string | number, testId: string) => (
    <div className="card" data-testid={testId}>
      <div className="name">{name}</div>
      <div className="figure">{figure}</div>
    </div>
  );
  return (
    <>
      <div className="filters">
        <label>
          {t('date')}{' '}
          <input
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            data-testid="overview-date"
          />
        </label>
      </div>
      <div className="cards">
        {card(t('inHospital'), c.in_hospital, 'count-in-hospital')}
        {card(t('admittedToday'), c.admitted, 'count-admitted')}
        {card(t('dischargedToday'), c.discharged, 'count-discharged')}
        {card(t('settledToday'), c.settled, 'count-settled')}
        {card(t('settledAmount'), `¥${c.settled_medfee}`, 'settled-amount')}
        {card(t('fundAmount'), `¥${c.settled_fund}`, 'fund-amount')}
        {card(t('needsPerson'), c.needs_person, 'count-needs-person')}
        {card(t('reportsWaiting'), `${c.reports_waiting} / ${c.reports_overdue}`, 'count-reports')}
      </div>
      <div className="charts">
        <Chart
          testId="chart-settled-by-fund"
          option={{
            title: { text: t('settledByFund'), textStyle: { fontSize: 14 } },
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0, data: funds.map((f) => l(f)) },
            grid: { top: 40, left: 56, right: 16, bottom: 56 },
            xAxis: { type: 'category', data: days },
            yAxis: { type: 'value' },
            series: funds.map((fund) => ({
              name: l(fund),
              type: 'bar',
              stack: 'settled',
              // Amounts arrive as decimal strings; the chart only draws them.
              data: days.map((day) => {
                const row = data.settled_by_fund.find((r: Row) => r.day === day && r.fund === fund);
                return row ? Number(row.amount) : 0;
              }),
            })),
          }}
        />
        <Chart
          testId="chart-admissions"
          option={{
            title: { text: t('admissionsDischarges'), textStyle: { fontSize: 14 } },
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0, data: [t('admissions'), t('discharges')] },
            grid: { top: 40, left: 40, right: 16, bottom: 56 },
            xAxis: { type: 'category', data: days },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                name: t('admissions'),
                type: 'line',
                data: data.admissions_discharges.map((d: Row) => d.admitted),
              },
              {
                name: t('discharges'),
                type: 'line',
                data: data.admissions_discharges.map((d: Row) => d.discharged),
              },
            ],
          }}
        />
        <Chart
          testId="chart-platform-errors"
          option={{
            title: { text: t('platformErrorRate'), textStyle: { fontSize: 14 } },
            tooltip: { trigger: 'axis' },
            grid: { top: 48, left: 48, right: 16, bottom: 28 },
            xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}:00`) },
            yAxis: {
              type: 'value',
              max: 1,
              axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
            },
            series: [
              {
                name: t('errorRate'),
                type: 'bar',
                data: Array.from(
                  { length: 24 },
                  (_, h) => data.platform_error_rate.find((r: Row) => r.hour === h)?.error_rate ?? 0,
                ),
              },
            ],
          }}
        />
      </div>
      <section>
        <h2>{t('platform')}</h2>
        <table data-testid="platform-health">
          <thead>
            <tr>
              <th>{t('infno')}</th>
              <th>{t('calls')}</th>
              <th>{t('errorRate')}</th>
              <th>{t('avgMs')}</th>
              <th>{t('maxMs')}</th>
            </tr>
          </thead>
          <tbody>
            {(health ?? []).map((h) => (
              <tr key={h.infno}>
                <td>{h.infno}</td>
                <td>{h.calls}</td>
                <td>{(h.error_rate * 100).toFixed(1)}%</td>
                <td>{h.avg_ms}</td>
                <td>{h.max_ms}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
