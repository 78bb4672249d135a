import { isStatic } from './api.ts';
import { initStaticListFilter } from './list-filter.ts';
import { initPromo } from './promo.ts';
import { initRequestForm } from './request-form.ts';
import { initSearch } from './search.ts';

/** The site's one script (bundled by esbuild, server/site/site-assets.ts): each page part wires itself. */
const searchForm = document.querySelector<HTMLFormElement>('[data-search-form]');
if (searchForm) initSearch(searchForm);
for (const form of document.querySelectorAll<HTMLFormElement>('[data-request-form]')) initRequestForm(form);
const promo = document.querySelector<HTMLElement>('[data-promo]');
const record = document.querySelector<HTMLElement>('[data-record]');
if (promo && record) void initPromo(promo, Number(record.dataset.record));
const list = document.querySelector<HTMLElement>('[data-list-results]');
if (list && isStatic()) void initStaticListFilter(list);
