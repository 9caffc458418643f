import { Registry } from 'prom-client';

/** This application's Prometheus registry (one per app, so several apps in one process never clash). */
export class MetricsRegistry extends Registry {}
