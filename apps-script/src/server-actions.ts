import { sheetActionPaths, type EnrichJobProgress, type SendOffersResult } from '../../shared/sheet-actions-contract.ts';
import { callServer } from './server-client.ts';
import { selectedRecordIds } from './selection.ts';

/**
 * Menu actions served by other parts of the server (AI enrichment, pre-order offers). Until a
 * feature is deployed the server answers 404 or 503; callServer turns that into a Russian
 * message with the server's own explanation, which the menu shows.
 */
export function startEnrichment(scope: 'selected' | 'all'): { job_id: string; total: number } {
  const body = scope === 'selected' ? { record_ids: selectedRecordIds() } : { all_without_description: true };
  return callServer<{ job_id: string; total: number }>(sheetActionPaths.enrich, body);
}

export function enrichmentProgress(jobId: string): EnrichJobProgress {
  return callServer<EnrichJobProgress>(sheetActionPaths.enrichJob(jobId), undefined, 'get');
}

export function sendOffersForSelection(): SendOffersResult {
  const [recordId] = selectedRecordIds();
  return callServer<SendOffersResult>(sheetActionPaths.sendOffers, { record_id: recordId });
}
