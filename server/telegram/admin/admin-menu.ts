import { button, type Screen } from './admin-ui.ts';

/** The admin panel's six sections; `m` callbacks open them. */
export const menuKeyboard = () => [
  [button('➕ Добавить пластинку', 'm', 'add'), button('📊 Статистика', 'm', 'stats')],
  [button('🔍 Поиск', 'm', 'search'), button('📬 Уведомления', 'm', 'notif')],
  [button('⚙️ Настройки', 'm', 'settings'), button('📈 Аналитика', 'm', 'charts')],
];

export const menuText = '🎵 <b>Панель администратора</b>\n\nЧто делаем? Можно нажать кнопку или написать словами: «добавить пластинку», «Abbey Road продана», «статистика».';

export function menuScreen(lead?: string): Screen {
  return { text: lead ? `${lead}\n\n${menuText}` : menuText, keyboard: menuKeyboard() };
}

/** Friendly answers to greetings and small talk; picked by the message so the same words get the same answer. */
const greetingAnswers = ['Привет! Рад вас видеть 👋', 'Здравствуйте! Магазин на месте, пластинки тоже 🎶', 'Добрый день! Готов помочь.'];
const smalltalkAnswers = ['Всё отлично, крутим винил 🎶', 'Спасибо, дела идут! Чем займёмся?', 'Всегда рад помочь 🙂'];
const pick = (list: string[], seed: string) => list[[...seed].reduce((a, ch) => a + ch.charCodeAt(0), 0) % list.length]!;

export const greetingScreen = (text: string) => menuScreen(pick(greetingAnswers, text));
export const smalltalkScreen = (text: string) => menuScreen(pick(smalltalkAnswers, text));
export const unknownScreen = () =>
  menuScreen('Не понял, что нужно сделать 🤔 Напишите название или исполнителя — я поищу, или выберите раздел.');
