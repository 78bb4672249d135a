/**
 * The four worksheets of the admin's spreadsheet and their columns, defined once for the
 * add-on and the server. Column keys are what code and the sheet outbox use; headers are what
 * the admin sees. The add-on finds columns by header, so the admin may reorder them.
 */
export const Sheets = {
  Catalog: 'Справочник',
  AdminEvents: 'Оповещения_админу',
  Preorders: 'Предзаказы',
  Templates: 'Настройки_уведомлений',
} as const;
export type SheetName = (typeof Sheets)[keyof typeof Sheets];

export const catalogColumns = {
  title: 'Название',
  artist: 'Исполнитель',
  genre: 'Жанр',
  year: 'Год',
  label: 'Лейбл',
  country: 'Страна',
  condition: 'Состояние',
  price: 'Цена',
  photo_url: 'ФОТО_URL',
  seller_telegram_id: 'Продавец_TG_ID',
  status: 'Статус',
  description: 'Описание',
  seo_title: 'SEO_Заголовок',
  seo_description: 'SEO_Описание',
  seo_keywords: 'SEO_Ключевые_слова',
  preorder_min: 'Минимум_предзаказов',
  preorder_count: 'Предзаказы_счётчик',
  participants: 'Предзаказы_участники',
  last_interest_at: 'Последний_интерес',
  id: 'ID',
} as const;
export type CatalogColumn = keyof typeof catalogColumns;

/** Columns the server computes; a hand edit of them is put back by the server's value. */
export const serverOwnedCatalogColumns = ['preorder_count', 'participants', 'last_interest_at', 'id'] as const satisfies readonly CatalogColumn[];

export const adminEventColumns = {
  at: 'Дата/Время',
  type: 'Тип_события',
  record: 'Пластинка',
  details: 'Детали',
  action: 'Действие_требуется',
  task_status: 'Статус_задачи',
  id: 'ID',
} as const;

export const preorderColumns = {
  at: 'Дата/Время',
  customer: 'Пользователь_ID',
  record_id: 'Пластинка_ID',
  contact: 'Контакт',
  status: 'Статус',
  notified: 'Уведомлён',
  offer: 'Спецпредложение',
  expires_at: 'Истекает',
  id: 'ID',
} as const;

export const templateColumns = {
  type: 'Тип_уведомления',
  title: 'Заголовок',
  body: 'Текст_шаблона',
  active: 'Активно',
  id: 'ID',
} as const;

export const sheetColumns = {
  [Sheets.Catalog]: catalogColumns,
  [Sheets.AdminEvents]: adminEventColumns,
  [Sheets.Preorders]: preorderColumns,
  [Sheets.Templates]: templateColumns,
} as const;
