import { HttpError } from '../http/http-error.ts';
import type { CatalogRepository } from './catalog-repository.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Admin URLs name a record by its uuid or by the short number the admin sees in the sheet and
 * the bot, like GET /api/records/:id. A number is looked up once and becomes the record's uuid;
 * a number with no (live) record is a 404 naming the parameter.
 */
export function createRecordKeyResolver(catalog: Pick<CatalogRepository, 'get'>) {
  return async (key: string, field: string): Promise<string> => {
    if (uuid.test(key)) return key;
    const record = await catalog.get(key);
    if (!record) throw new HttpError(404, `record ${key} not found`, [{ field, message: 'no record with this number' }]);
    return record.id;
  };
}
export type RecordKeyResolver = ReturnType<typeof createRecordKeyResolver>;
