import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A page as HTML text: preact escapes every text and attribute value it renders. */
export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
