import type { VNode } from 'preact';
import { renderToStaticMarkup, renderToString } from 'preact-render-to-string';

/** A page as HTML text: preact escapes every text and attribute value it renders. */
export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}

/**
 * Markup rendered once and included in many pages (a record's card, the header), as one flat
 * string. The renderer joins its result from hundreds of small pieces; kept that way, every page
 * that includes it would walk them all again when it is encoded, which made encoding the list
 * pages take longer than rendering them.
 */
export function renderFragment(node: VNode): string {
  const html = renderToStaticMarkup(node);
  // Reading a character makes V8 join the pieces into one string, in place.
  html.charCodeAt(0);
  return html;
}
