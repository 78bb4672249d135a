import type { Request, RequestHandler, Response } from 'express';
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
type MeteredResponse = Response & { [started]: number };

/**
 * HTTP requests and latency by method, route and status, cheap enough for the cached catalog
 * path (bench:api's metrics_overhead): per response one shared 'finish' listener (no closure),
 * a lookup cached on express's route object (no label strings built, no regex), and plain numbers
 * bumped in place. prom-client's own Counter and Histogram would hash and validate their labels
 * on every call; here the figures become Prometheus series only when /metrics is scraped.
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

  function onFinish(this: MeteredResponse): void {
    const seconds = (performance.now() - this[started]) / 1000;
    const series = seriesOf(this.req, this);
    series.count++;
    series.sum += seconds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.counts[i]!++;
  }

  const middleware: RequestHandler = (_req, res, next) => {
    (res as MeteredResponse)[started] = performance.now();
    res.on('finish', onFinish);
    next();
  };

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

  return { middleware };
}
