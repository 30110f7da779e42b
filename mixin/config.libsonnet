// Every knob of the mixin, with the values the committed files are rendered
// with. A site changes what differs from its set-up, e.g.
//   (import 'mixin.libsonnet') + { _config+:: { job: 'coinw-exporter', scrapeTimeout: '20s' } }
// or, without writing jsonnet: scripts/render-mixin.sh --config site.jsonnet (see mixin/README.md).
// Durations are Prometheus durations ('90s', '15m', '1h30m').
{
  _config+:: {
    // --- How Prometheus scrapes the exporter (config/prometheus.yml) ---
    // The scrape job: CoinwExporterDown (also when the job has no target at
    // all), the scrape alerts and the Alertmanager inhibition select it.
    job: 'coinw',
    // Extra matchers for every coinw_* selector of the rules, e.g.
    // 'cluster="eu"' when several exporters' series meet in one Prometheus. Empty: all.
    selector: '',
    scrapeInterval: '60s',
    scrapeTimeout: '30s',
    // The job's sample_limit; CoinwScrapeNearSampleLimit warns at this share of it.
    sampleLimit: 500000,
    sampleLimitWarnRatio: 0.8,
    // CoinwScrapeNearTimeout fires at this share of scrapeTimeout.
    scrapeTimeoutWarnRatio: 0.8,

    // --- Severities: the value of the `severity` label for each kind of alert ---
    // page: wake someone (critical in the usual routing); ticket: handle in
    // working hours; info: a record (see docs/runbook.md on kube-prometheus-stack).
    severities: { page: 'critical', ticket: 'warning', info: 'info' },

    // --- Sub-account alerts and the gaps they hold through ---
    // A missing sample (a failed scrape, an exporter restart, the exporter
    // dropping data after staleness_limit) is not "normal": the sub-account
    // alerts keep the last state reported within holdFor. A reported change
    // resolves them after keepFiringFor, which rides over a single odd refresh.
    holdFor: '1h',
    keepFiringFor: '5m',
    frozenFor: '2m',
    tradingDisabledFor: '2m',
    stateChangeWindow: '10m',  // how long CoinwSubAccountStateChanged lasts after a change

    // --- Sub-account API-key alerts (sub_accounts.api_keys) ---
    apiKeyWithoutWhitelistFor: '5m',
    apiKeysUnexpectedFor: '5m',
    apiKeyAddedWindow: '1h',  // how long CoinwSubAccountApiKeyAdded lasts after a new key

    // --- Exporter and data-freshness alerts ---
    collectorFailingFor: '10m',
    dataStaleAfter: '15m',
    dataStaleFor: '5m',
    fullRefreshStaleAfter: '3h',
    fullRefreshStaleFor: '15m',
    // invitee_assets.window_refresh_interval of the exporter configuration: an
    // open window with no complete pass for windowStaleFactor times it alerts.
    windowRefreshInterval: '5m',
    windowStaleFactor: 3,
    windowStaleFor: '5m',
    rateLimitedFor: '15m',
    // CoinW's tolerance for the signed timestamp is undocumented; the answers'
    // Date header has a one-second resolution, so averaged over this window a
    // skew beyond clockSkewMax seconds is the exporter host's clock.
    clockSkewMax: 2,
    clockSkewWindow: '10m',
    clockSkewFor: '10m',
    authFailingFor: '5m',
    unexpectedFormatFor: '15m',
    configReloadFailedFor: '5m',
    scrapeNearTimeoutFor: '15m',
    scrapeNearSampleLimitFor: '15m',
    exporterDownFor: '5m',

    // --- Runbook links (alerts and dashboard panels) ---
    // %(anchor)s is the alert's section (its name in lower case), %(instance)s
    // the exporter's address: {{ $labels.instance }} in alerts, a dashboard
    // variable in Grafana. The default is the runbook the exporter serves at
    // /runbook; a site whose `instance` is not host:port (the /probe set-up),
    // or that serves TLS, points it elsewhere, e.g.
    // 'https://wiki.example.com/coinw/runbook#%(anchor)s'.
    runbookURLPattern: 'http://%(instance)s/runbook#%(anchor)s',

    // --- Dashboards ---
    dashboardTags: ['coinw'],
    dashboardRefresh: '1m',
    dashboardTimezone: '',  // '' follows the viewer's browser
    dashboardFrom: 'now-24h',
    // Daily and monthly trends need days of data to mean something.
    affiliateDashboardFrom: 'now-7d',
    // Windows offered by the $window variable; [] offers every window the
    // exporter reports (coinw_window_start_timestamp_seconds).
    dashboardWindows: [],
    // The calendar window the month-to-date panels read (a window `month` in
    // invitee_assets.windows).
    monthWindow: 'month',

    // --- The example Alertmanager configuration (config/alertmanager.yml) ---
    alertmanager: {
      groupBy: ['alertname', 'account'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      infoRepeatInterval: '24h',
      // A webhook per kind; put your pager, ticket and chat receivers in their place.
      webhooks: {
        page: 'http://127.0.0.1:5001/page',
        ticket: 'http://127.0.0.1:5001/ticket',
        info: 'http://127.0.0.1:5001/info',
      },
    },
  },
}
