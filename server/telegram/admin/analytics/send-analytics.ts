import { InputFile } from 'node-telegram-bot-api';
import type { AdminPanelRepository } from '../admin-panel-repository.ts';
import type { ScreenSender } from '../admin-ui.ts';
import { menuScreen } from '../admin-menu.ts';
import { analyticsCharts } from './analytics-charts.ts';
import type { ChartRenderer } from './chart-renderer.ts';

/** 📈 Analytics: the last 12 weeks as four PNG charts in one album (one send: the chat's flood limit). */
export async function sendAnalytics(ui: ScreenSender, deps: { panel: AdminPanelRepository; charts: ChartRenderer }) {
  if (!deps.charts.available) {
    return ui.send(menuScreen('📈 Графики сейчас недоступны: на сервере нет шрифта для подписей (CHART_FONT_FILE). Пока смотрите 📊 Статистику.'));
  }
  await ui.api.sendChatAction({ chat_id: ui.chatId, action: 'upload_photo' }).catch(() => undefined);
  const charts = analyticsCharts(await deps.panel.analytics(12));
  await ui.api.sendMediaGroup({
    chat_id: ui.chatId,
    media: charts.map((chart, i) => ({
      type: 'photo' as const,
      media: new InputFile(deps.charts.render(chart.option)!, { filename: `chart-${i + 1}.png`, contentType: 'image/png' }),
      caption: chart.caption,
    })),
  });
  return ui.send(menuScreen('📈 Аналитика за 12 недель — выше.'));
}
