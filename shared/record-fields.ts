/** The catalog fields every view of a record shares (API, sheet row, AI snapshot). */
export interface RecordCatalogFields {
  title: string;
  artist: string;
  genre: string | null;
  year: number | null;
  label: string | null;
  country: string | null;
  condition: string | null;
  price: number | null;
}

/** The texts the AI writes and the admin may own instead. */
export interface RecordTextFields {
  description: string | null;
  seo_title: string | null;
  seo_description: string | null;
  seo_keywords: string | null;
}
