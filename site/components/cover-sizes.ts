/**
 * How wide a cover is drawn (site.css), for the browser's choice between the thumbnail and the
 * full cover: in the grid two columns on a phone, three from 640 px, four of about 260 px from
 * 960 px; on the record page the full width on a phone, 420 px from 800 px.
 */
export const coverSizes = {
  card: '(min-width: 960px) 260px, (min-width: 640px) 33vw, 50vw',
  page: '(min-width: 800px) 420px, 100vw',
} as const;
