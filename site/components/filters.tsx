import { decades, filterQuery, priceChoices, statusChoices, type CatalogFilter } from '../catalog-filter.ts';

/** The filter links of a list page: each keeps the other choices and toggles its own. */
export function Filters(props: { base: string; filter: CatalogFilter }) {
  const { base, filter } = props;
  const link = (next: CatalogFilter, current: boolean, label: string) => (
    <li>
      <a href={`${base}${filterQuery(next)}`} aria-current={current ? 'true' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav class="filters" aria-label="Фильтры каталога" data-filters>
      <fieldset>
        <legend>Наличие</legend>
        <ul>
          {link({ ...filter, status: undefined }, !filter.status, 'Все')}
          {Object.entries(statusChoices).map(([key, choice]) =>
            link({ ...filter, status: key as CatalogFilter['status'] }, filter.status === key, choice.label),
          )}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Годы</legend>
        <ul>
          {link({ ...filter, decade: undefined }, !filter.decade, 'Любые')}
          {decades.map((decade) => link({ ...filter, decade }, filter.decade === decade, `${decade}-е`))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Цена</legend>
        <ul>
          {link({ ...filter, price: undefined }, !filter.price, 'Любая')}
          {Object.entries(priceChoices).map(([key, choice]) =>
            link({ ...filter, price: key as CatalogFilter['price'] }, filter.price === key, choice.label),
          )}
        </ul>
      </fieldset>
    </nav>
  );
}

/** Page links as real anchors (crawlable), with the current page marked. */
export function Pagination(props: { page: number; pages: number; href: (page: number) => string }) {
  const { page, pages, href } = props;
  if (pages <= 1) return null;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  return (
    <nav aria-label="Страницы">
      <ul class="pagination">
        {page > 1 ? (
          <li>
            <a href={href(page - 1)} rel="prev">← Назад</a>
          </li>
        ) : null}
        {shown.map((p) => (
          <li>{p === page ? <span aria-current="page">{p}</span> : <a href={href(p)}>{p}</a>}</li>
        ))}
        {page < pages ? (
          <li>
            <a href={href(page + 1)} rel="next">Вперёд →</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
