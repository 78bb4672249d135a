import { HttpError } from '../http/http-error.ts';
import type { DemandRefusal } from './demand-repository.ts';

/** A demand limit as the website's 429: which field to blame and when to come back. */
export function demandRefusalError(refusal: DemandRefusal, verified: boolean): HttpError {
  const minutes = Math.max(1, Math.ceil(refusal.retry_after_seconds / 60));
  if (refusal.error === 'person_limit') {
    return new HttpError(429, 'too many requests from this person', [
      { field: verified ? 'telegram_auth' : 'customer_id', message: `at most ${refusal.limit} new requests a day per person; try again later` },
    ]);
  }
  if (refusal.error === 'title_limit') {
    return new HttpError(429, 'too many unverified requests for this title', [
      { field: 'title', message: `this title has had many requests without Telegram in the last hour; sign in with Telegram or try in ${minutes} min` },
    ]);
  }
  return new HttpError(429, 'the store takes no more new requests this hour', [
    { field: 'title', message: `the hourly budget of new ${refusal.kind === 'new_title' ? 'titles' : 'unverified requests'} is spent; try again in ${minutes} min` },
  ]);
}

export const isRefusal = (r: object): r is DemandRefusal => 'error' in r;
