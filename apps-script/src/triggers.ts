/**
 * Installable triggers (a simple onEdit cannot call UrlFetchApp:
 * https://developers.google.com/apps-script/guides/triggers#restrictions). Installing is
 * idempotent: a handler that already has its trigger is left alone.
 */
export const tickMinutes = 5;

export function installTriggers(): string[] {
  const ss = SpreadsheetApp.getActive();
  const existing = new Set(ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction()));
  const created: string[] = [];
  if (!existing.has('handleEdit')) {
    ScriptApp.newTrigger('handleEdit').forSpreadsheet(ss).onEdit().create();
    created.push('handleEdit');
  }
  if (!existing.has('handleChange')) {
    ScriptApp.newTrigger('handleChange').forSpreadsheet(ss).onChange().create();
    created.push('handleChange');
  }
  if (!existing.has('handleTick')) {
    ScriptApp.newTrigger('handleTick').timeBased().everyMinutes(tickMinutes).create();
    created.push('handleTick');
  }
  return created;
}
