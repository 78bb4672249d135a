// Telegram Bot API emulator for tests and benchmarks; see telegram-emulator.ts.
export { startTelegramEmulator } from './telegram-emulator.ts';
export { escapeHtml, parseHtml, EntityParseError } from './html-entities.ts';
export type { CallbackAnswer, EmulatedUser, EmulatorOptions, FaultRule, SentMessage, TelegramEmulator } from './types.ts';
