import type { RequestHandler } from 'express';
import type { Histogram } from 'prom-client';

/** Observes latency by route pattern (never the raw path: it carries tokens) and status. */
export function requestMetrics(histogram: Histogram<'method' | 'route' | 'status'>): RequestHandler {
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
