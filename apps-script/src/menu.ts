/** Menu «Винил» (built by the simple onOpen: no authorization needed to show it). */
export const menuTitle = 'Винил';

export const menuItems = [
  ['Настроить листы', 'menuSetupSheets'],
  ['Подключить к серверу', 'menuConnect'],
  ['Синхронизировать сейчас', 'menuSyncNow'],
  ['Статус синхронизации', 'menuSyncStatus'],
  null,
  ['Обогатить выбранные строки', 'menuEnrichSelected'],
  ['Обогатить все строки без описания', 'menuEnrichAll'],
  ['Отправить предложения предзаказа по выбранной пластинке', 'menuSendOffers'],
  null,
  ['Пересобрать сайт', 'menuRebuildSite'],
] as const;

export function buildMenu(): void {
  const menu = SpreadsheetApp.getUi().createMenu(menuTitle);
  for (const item of menuItems) {
    if (item === null) menu.addSeparator();
    else menu.addItem(item[0], item[1]);
  }
  menu.addToUi();
}
