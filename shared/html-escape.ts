/**
 * Escapes text for HTML: Telegram's parse_mode HTML (https://core.telegram.org/bots/api#html-style)
 * and web pages alike. Safe inside element content and double-quoted attribute values (not in
 * single-quoted or unquoted attributes, scripts or styles). null and undefined become ''.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
