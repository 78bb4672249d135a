import type { ChartOption } from './chart-renderer.ts';

/** admin_analytics (supabase/migrations/20261202003100_admin_analytics.sql). */
export interface AdminAnalytics {
  revenue_by_week: Array<{ week: string; revenue: number; sales: number }>;
  demand_by_week: Array<{ week: string; interest: number }>;
  sales_by_genre: Array<{ genre: string; count: number }>;
  demand_by_genre: Array<{ genre: string; count: number }>;
  funnel: { requests: number; procurement: number; offers: number; sales: number };
}

const weekLabel = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
const title = (text: string, subtext?: string) => ({ text, subtext, left: 'center', top: 12, textStyle: { fontSize: 26 }, subtextStyle: { fontSize: 16 } });
const axisText = { fontSize: 16 };

/** The four charts of 📈 Analytics, as ECharts options, with their captions. */
export function analyticsCharts(a: AdminAnalytics): Array<{ caption: string; option: ChartOption }> {
  const rub = (n: number) => `${Math.round(n).toLocaleString('ru-RU').replace(/\s/g, ' ')} ₽`;
  const totalRevenue = a.revenue_by_week.reduce((sum, w) => sum + Number(w.revenue), 0);
  return [
    {
      caption: `Выручка по неделям: ${rub(totalRevenue)} за ${a.revenue_by_week.length} недель`,
      option: {
        title: title('Выручка по неделям', `Всего ${rub(totalRevenue)}`),
        grid: { left: 110, right: 40, top: 100, bottom: 60 },
        xAxis: { type: 'category', data: a.revenue_by_week.map((w) => weekLabel(w.week)), axisLabel: axisText },
        yAxis: { type: 'value', axisLabel: { ...axisText, formatter: (v: number) => rub(v) } },
        series: [{ type: 'bar', data: a.revenue_by_week.map((w) => Number(w.revenue)), itemStyle: { color: '#2e7d32' }, label: { show: true, position: 'top', fontSize: 14, formatter: ({ value }: { value: number }) => (value > 0 ? rub(value) : '') } }],
      },
    },
    {
      caption: 'Спрос: новые заявки «Уведомить о поступлении» по неделям',
      option: {
        title: title('Спрос: новые заявки по неделям'),
        grid: { left: 70, right: 40, top: 90, bottom: 60 },
        xAxis: { type: 'category', data: a.demand_by_week.map((w) => weekLabel(w.week)), axisLabel: axisText },
        yAxis: { type: 'value', minInterval: 1, axisLabel: axisText },
        series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.2 }, data: a.demand_by_week.map((w) => w.interest), itemStyle: { color: '#1565c0' }, label: { show: true, fontSize: 14 } }],
      },
    },
    {
      caption: 'Жанры: продажи и спрос',
      option: {
        title: title('Жанры: продажи и спрос'),
        legend: { bottom: 10, textStyle: { fontSize: 16 } },
        series: [
          { name: 'Продажи', type: 'pie', radius: ['20%', '55%'], center: ['27%', '52%'], data: a.sales_by_genre.map((g) => ({ name: g.genre, value: g.count })), label: { fontSize: 15, formatter: '{b}: {c}' } },
          { name: 'Спрос', type: 'pie', radius: ['20%', '55%'], center: ['75%', '52%'], data: a.demand_by_genre.map((g) => ({ name: g.genre, value: g.count })), label: { fontSize: 15, formatter: '{b}: {c}' } },
        ],
        graphic: [
          { type: 'text', left: '22%', top: 80, style: { text: 'Продажи', fontSize: 18, fontFamily: 'DejaVu Sans' } },
          { type: 'text', left: '71%', top: 80, style: { text: 'Спрос', fontSize: 18, fontFamily: 'DejaVu Sans' } },
        ],
      },
    },
    {
      caption: `Воронка: заявки ${a.funnel.requests} → закупка ${a.funnel.procurement} → предложения ${a.funnel.offers} → продажи ${a.funnel.sales}`,
      option: {
        title: title('Воронка: от заявки до продажи'),
        series: [{
          type: 'funnel', left: '10%', width: '80%', top: 90, bottom: 30, sort: 'none', minSize: '12%',
          label: { show: true, position: 'inside', fontSize: 18, color: '#fff', formatter: '{b}: {c}' },
          data: [
            { name: 'Заявки', value: a.funnel.requests },
            { name: 'Закупка', value: a.funnel.procurement },
            { name: 'Предложения', value: a.funnel.offers },
            { name: 'Продажи', value: a.funnel.sales },
          ],
        }],
      },
    },
  ];
}
