import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { Metric, Registry } from 'prom-client';
import { sitePageLabel } from './route-label.ts';

const bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'];

/** One label set's figures: plain numbers, bumped in place per response. */
interface Series {
  labels: { method: string; route: string; status: string };
  count: number;
  sum: number;
  /** Per bucket, not cumulative; the last one is above the highest bound (+Inf). */
  counts: Float64Array;
}

/** A route's series by method and status (key: status * 8 + method index). */
interface RouteSeries {
  route: string;
  byKey: Map<number, Series>;
}

function methodIndex(method: string): number {
  switch (method) {
    case 'GET': return 0;
    case 'HEAD': return 1;
    case 'POST': return 2;
    case 'PUT': return 3;
    case 'PATCH': return 4;
    case 'DELETE': return 5;
    case 'OPTIONS': return 6;
    default: return 7;
  }
}

const started = Symbol('vinyl.metrics.started');
type Metered = ServerResponse & { [started]?: number };

/** Each metered app's recorder; a request another app (or none) answered is not counted. */
const recorders = new WeakMap<object, (req: Request, res: Response, seconds: number) => void>();
let listening = false;

/**
 * Node's own HTTP diagnostics channels time every response: the start is stamped before any
 * express code runs, and the finish arrives from the server itself. Subscribed once per process
 * however many servers it runs (tests, benchmarks); express's req.app says whose response it was.
 */
function listen() {
  if (listening) return;
  listening = true;
  subscribe('http.server.request.start', (message) => {
    (message as { response: Metered }).response[started] = performance.now();
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage & { app?: object }; response: Metered };
    const record = request.app && recorders.get(request.app);
    const at = response[started];
    if (record && at !== undefined) record(request as Request, response as Response, (performance.now() - at) / 1000);
  });
}

/**
 * HTTP requests and latency by method, route and status, cheap enough for the cached catalog
 * path (bench:api's metrics_overhead): no middleware and no listener per response (see
 * listen()), a lookup cached on express's route object (no label strings built, no regex), and
 * plain numbers bumped in place; they become Prometheus series only when /metrics is scraped.
 * (A middleware added an express layer and a 'finish' listener to every request; prom-client's
 * own Counter and Histogram would also hash and validate labels on every call.)
 */
export function createHttpMetrics(registry: Registry) {
  const all: Series[] = [];
  const byRouteObject = new WeakMap<object, RouteSeries>();
  const byLabel = new Map<string, RouteSeries>();

  const group = (route: string): RouteSeries => {
    let found = byLabel.get(route);
    if (!found) byLabel.set(route, (found = { route, byKey: new Map() }));
    return found;
  };

  function seriesOf(req: Request, res: Response): Series {
    const route = req.route as { path: unknown } | undefined;
    let routeSeries: RouteSeries;
    if (!route || res.locals.unmatched) routeSeries = group('unmatched');
    else if (typeof route.path !== 'string') routeSeries = group(sitePageLabel(req.path, res.statusCode));
    else {
      // The pattern, so ids do not multiply the series; a router mounted at two places is told apart by its base.
      const cached = byRouteObject.get(route);
      if (cached && cached.route.length === req.baseUrl.length + route.path.length && cached.route.startsWith(req.baseUrl)) routeSeries = cached;
      else {
        routeSeries = group(`${req.baseUrl}${route.path}`);
        byRouteObject.set(route, routeSeries);
      }
    }
    const m = methodIndex(req.method);
    const key = res.statusCode * 8 + m;
    let series = routeSeries.byKey.get(key);
    if (!series) {
      series = { labels: { method: methods[m]!, route: routeSeries.route, status: String(res.statusCode) }, count: 0, sum: 0, counts: new Float64Array(bounds.length + 1) };
      routeSeries.byKey.set(key, series);
      all.push(series);
    }
    return series;
  }

  function record(req: Request, res: Response, seconds: number): void {
    const series = seriesOf(req, res);
    series.count++;
    series.sum += seconds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.counts[i]!++;
  }

  // Scrape-time views in prom-client's metric shape (what Registry.metrics() formats).
  const counterName = 'vinyl_http_requests_total';
  const histogramName = 'vinyl_http_request_duration_seconds';
  const requests = {
    name: counterName,
    help: 'HTTP requests by route and status',
    type: 'counter',
    aggregator: 'sum',
    get: async () => ({ ...requests, values: all.map((s) => ({ labels: s.labels, value: s.count })) }),
    reset: () => undefined,
  };
  const latency = {
    name: histogramName,
    help: 'HTTP response time by route and status',
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({
      ...latency,
      values: all.flatMap((s) => {
        let cumulative = 0;
        const bucketLines = bounds.map((le, i) => ({ metricName: `${histogramName}_bucket`, labels: { ...s.labels, le }, value: (cumulative += s.counts[i]!) }));
        return [
          ...bucketLines,
          { metricName: `${histogramName}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count },
          { metricName: `${histogramName}_sum`, labels: s.labels, value: s.sum },
          { metricName: `${histogramName}_count`, labels: s.labels, value: s.count },
        ];
      }),
    }),
    reset: () => undefined,
  };
  registry.registerMetric(requests as unknown as Metric);
  registry.registerMetric(latency as unknown as Metric);

  return {
    /** Counts every response the app answers from now on. */
    observe(app: Express): void {
      listen();
      recorders.set(app, record);
    },
  };
}
