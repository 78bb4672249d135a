import type { AdminNotifications, AdminStatistics } from '../../../../shared/demand-contract.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { taskStateBotLabels, type ProcurementTaskState } from '../../../../shared/procurement-task-contract.ts';
import { formatRub } from '../../../../shared/russian-format.ts';
import { button, type Screen } from '../admin-ui.ts';

/** 📊 The dashboard of the design document, from admin_statistics (live from the database). */
export function statisticsScreen(s: AdminStatistics): Screen {
  const lines = [
    '📊 <b>Статистика магазина</b>',
    '',
    '📦 <b>Каталог</b>',
    `🟢 В наличии: ${e(s.inventory.available)}`,
    `🟠 В резерве: ${e(s.inventory.reserved)}`,
    `🟡 Задачи на закупку: ${e(s.inventory.procurement_tasks)}`,
    `🟡 Запросы покупателей: ${e(s.inventory.search_requests)}`,
    `🔴 Продано в этом месяце: ${e(s.inventory.sold_this_month)}`,
    '',
    '💰 <b>Выручка</b>',
    `За неделю: ${formatRub(s.revenue.this_week)}`,
    `За месяц: ${formatRub(s.revenue.this_month)}`,
    `Средний чек: ${formatRub(s.revenue.average_check)}`,
    '',
    '👥 <b>Покупатели</b>',
    `Активные предзаказы: ${e(s.engagement.active_pre_orders)}`,
    `Предложений отправлено: ${e(s.engagement.offers_sent)}`,
    `Конверсия: ${e(Number(s.engagement.conversion_rate).toLocaleString('ru-RU', { maximumFractionDigits: 1 }))}%`,
    `Самый спрашиваемый жанр: ${e(s.engagement.top_genre ?? '—')}`,
  ];
  if (s.hot_requests.length > 0) {
    lines.push('', '🔥 <b>Горячие запросы</b>');
    s.hot_requests.slice(0, 5).forEach((r, i) => lines.push(`${i + 1}. ${e(r.artist)} — ${e(r.title)} (${e(r.total_demand)})`));
  }
  return { text: lines.join('\n'), keyboard: [[button('🔄 Обновить', 'm', 'stats'), button('📈 Графики', 'm', 'charts'), button('🏠 Меню', 'm', 'menu')]] };
}

/** A procurement task's line in 📬, with its state. */
function taskLine(t: { number: number; artist: string; title: string; total_demand: number; state: ProcurementTaskState }): string {
  return `• №${e(t.number)} ${e(t.artist)} — ${e(t.title)}: ждут ${e(t.total_demand)} · ${e(taskStateBotLabels[t.state])}`;
}

/** 📬 What waits for the admin: procurement tasks and records whose offers can go out. Buttons per record. */
export function notificationsScreen(n: AdminNotifications): Screen {
  const tasks = n.procurement_tasks.slice(0, 8);
  const ready = n.pre_order_alerts_ready.slice(0, 8);
  const total = n.procurement_tasks.length + n.pre_order_alerts_ready.length;
  if (total === 0 && n.failed_deliveries.length === 0) {
    return { text: '📬 Новых задач нет — всё сделано 👌', keyboard: [[button('🏠 Меню', 'm', 'menu')]] };
  }
  const lines = [`📬 <b>Ждут внимания (${total})</b>`];
  const keyboard = [];
  if (tasks.length > 0) {
    lines.push('', `🎯 <b>Закупить (${n.procurement_tasks.length})</b>`);
    for (const t of tasks) {
      lines.push(taskLine(t));
      keyboard.push([button(`✅ Отметить найденной №${t.number}`, 'r', t.number, 'st', 'av'), button(`💿 Карточка №${t.number}`, 'r', t.number, 'v')]);
      keyboard.push([
        t.state === 'in_work' ? button(`🆕 Снова новая №${t.number}`, 'pt', t.number, 'n') : button(`🛠 В работе №${t.number}`, 'pt', t.number, 'w'),
        button(`🙈 Скрыть №${t.number}`, 'pt', t.number, 'x'),
      ]);
    }
  }
  if (ready.length > 0) {
    lines.push('', `🔔 <b>Можно отправить предложения (${n.pre_order_alerts_ready.length})</b>`);
    for (const r of ready) {
      lines.push(`• №${e(r.number)} ${e(r.artist)} — ${e(r.title)} → ${e(r.participant_count)} покупателям`);
      keyboard.push([button(`📨 Отправить предложения №${r.number}`, 'r', r.number, 'of'), button(`💿 Карточка №${r.number}`, 'r', r.number, 'v')]);
    }
  }
  if (n.failed_deliveries.length > 0) lines.push('', `⚠️ Не доставлено сообщений: ${e(n.failed_deliveries.length)}`);
  keyboard.push([button('🔄 Обновить', 'm', 'notif'), button('🏠 Меню', 'm', 'menu')]);
  return { text: lines.join('\n'), keyboard };
}
