import { sheetActionPaths } from '../../shared/sheet-actions-contract.ts';
import type { SiteRebuildResult } from '../../shared/site-contract.ts';
import { callServer, ServerError } from './server-client.ts';

/**
 * «Пересобрать сайт»: the server rebuilds the website's static export now. A full build: the
 * admin asks when they want everything fresh, and it still writes only the files that changed.
 * The answer comes when the build is done (seconds; well within UrlFetchApp's time limit).
 */
export function rebuildSite(): SiteRebuildResult {
  try {
    return callServer<SiteRebuildResult>(sheetActionPaths.siteRebuild, { full: true });
  } catch (error) {
    if (error instanceof ServerError && error.status === 409) {
      throw new ServerError('На сервере выключен статический экспорт сайта: задайте SITE_EXPORT_DIR (папку для сайта) и перезапустите сервер. Страницы на самом сервере и так всегда актуальны.', 409, true);
    }
    throw error;
  }
}

/** The result as the admin reads it. */
export function siteRebuildMessage(result: SiteRebuildResult): string {
  const seconds = (result.ms / 1000).toLocaleString('ru-RU', { maximumFractionDigits: 1 });
  const changed = result.written + result.deleted;
  const lines = [
    changed === 0
      ? `Сайт пересобран за ${seconds} с: все ${result.rendered} файлов уже были актуальны.`
      : `Сайт пересобран за ${seconds} с: обновлено файлов — ${result.written}, удалено — ${result.deleted} (всего ${result.rendered}).`,
  ];
  if (result.deployed === true) lines.push('Хостинг получил сигнал о публикации.');
  else if (result.deployed === false) lines.push('Хостинг не принял сигнал о публикации: проверьте SITE_DEPLOY_HOOK_URL на сервере.');
  else if (changed > 0) lines.push('Хук публикации не настроен: выложите папку сайта на хостинг сами.');
  return lines.join('\n');
}
