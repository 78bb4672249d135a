import type { RecordStatus } from '../../shared/record-status.ts';

/** How a customer reads a record's status (the sheet's labels are the admin's). */
export const customerStatus: Record<RecordStatus, string> = {
  available: 'В наличии',
  reserved: 'Забронирована',
  procurement: 'Ищем для вас',
  search_request: 'Ожидается',
  sold: 'Продано',
  deleted: 'Снята с продажи',
};

/** «12 человек ждут» with the right Russian plural. */
export function waitingText(count: number): string {
  const mod10 = count % 10;
  const mod100 = count % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'человек ждёт' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'человека ждут' : 'человек ждут';
  return `${count} ${word}`;
}

let groups: Intl.NumberFormat | undefined;
const formatCount = (count: number) => (groups ??= new Intl.NumberFormat('ru-RU')).format(count).replace(/\u00a0/g, ' ');

/** «24 пластинки» with the right plural. */
export function recordsCount(count: number): string {
  const mod10 = count % 10;
  const mod100 = count % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'пластинка' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'пластинки' : 'пластинок';
  return `${formatCount(count)} ${word}`;
}
