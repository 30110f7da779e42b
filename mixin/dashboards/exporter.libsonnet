// CoinW / Exporter health: the process, its collectors and passes, the CoinW
// API as the exporter sees it, rate limiting and scrapes.
local g = import '../lib/grafana.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local sel = g.sel,
    local acc = g.acc,
    local ri = '$__rate_interval',
    local timeout = promql.seconds(c.scrapeTimeout),
    local refresh = promql.seconds(c.windowRefreshInterval),

    'coinw-exporter.json': g.dashboard(
      c, 'coinw-exporter', 'CoinW / Exporter health',
      'Health of coinw-exporter: process, collectors, passes, CoinW API calls, rate limiting and scrapes.', ['exporter'],
      // The health series come from two kinds of target in the sharded set-up:
      // /probe (collectors) and /metrics?collect[]=exporter (build, reloads, process).
      [g.datasourceVar] + g.targetVars('{__name__=~"coinw_collector_success|coinw_exporter_build_info"}', 'coinw_collector_success'),
      panels=
        g.row('Exporter', [
          g.stat(c, 'Targets up', [g.target('up{%s}' % sel, '{{instance}}')], 'none',
                 "Whether Prometheus' last scrape of each selected target succeeded.",
                 { w: 6, mappings: g.upDown, thresholds: g.goodIfOne, alerts: ['CoinwExporterDown'] }),
          g.table(c, 'Build', [g.row_('coinw_exporter_build_info{%s}' % sel)], 'none',
                  'Version and revision of each exporter instance (from the /metrics targets; /probe targets do not carry it).',
                  { w: 6, h: 6, hide: ['Value'], rename: { instance: 'Instance' } }),
          g.stat(c, 'Last config reload', [g.target('coinw_exporter_config_last_reload_successful{%s}' % sel, '{{instance}}')], 'none',
                 'Whether the last configuration reload of each instance succeeded; a failed one leaves the previous configuration in effect.',
                 { w: 6, mappings: g.mapping([[1, 'Succeeded', 'green'], [0, 'Failed', 'red']]), thresholds: g.goodIfOne,
                   alerts: ['CoinwExporterConfigReloadFailed'] }),
          g.stat(c, 'Config loaded since',
                 [g.target('time() - coinw_exporter_config_last_reload_success_timestamp_seconds{%s}' % sel, '{{instance}}')], 's',
                 'Time since each instance last loaded its configuration successfully.', { w: 6 }),
          g.timeseries(c, 'Scrape duration', [g.target('scrape_duration_seconds{%s}' % sel, '{{job}} {{instance}}')], 's',
                       'The exporter fits its work into the scrape timeout (%s in _config.scrapeTimeout).' % c.scrapeTimeout,
                       { thresholds: g.steps('green', [[c.scrapeTimeoutWarnRatio * timeout, 'yellow'], [timeout, 'red']]),
                         alerts: ['CoinwScrapeNearTimeout'] }),
          g.timeseries(c, 'Samples per scrape', [g.target('scrape_samples_scraped{%s}' % sel, '{{job}} {{instance}}')], 'short',
                       'Samples of each scrape; past the sample_limit (%d in _config.sampleLimit) the whole scrape fails. Each invitee costs 6 series per quote, and 2 more per window.' % c.sampleLimit,
                       { decimals: 0, thresholds: g.steps('green', [[c.sampleLimitWarnRatio * c.sampleLimit, 'yellow'], [c.sampleLimit, 'red']]),
                         alerts: ['CoinwScrapeNearSampleLimit'] }),
        ])
        + g.row('Process', [
          g.timeseries(c, 'CPU', [g.target('rate(process_cpu_seconds_total{%s}[%s])' % [sel, ri], '{{instance}}')], 'percentunit',
                       'CPU time of the exporter process per second (1 = one core).', { w: 6, min: 0 }),
          g.timeseries(c, 'Memory', [
            g.target('process_resident_memory_bytes{%s}' % sel, 'resident {{instance}}'),
            g.target('coinw_exporter_heap_inuse_bytes{%s}' % sel, 'heap in use {{instance}}'),
          ], 'bytes', 'Resident memory, and the heap in use (glibc mallinfo2): unlike RSS the heap drops when memory is freed, so a leak shows there first.',
            { w: 6, min: 0 }),
          g.timeseries(c, 'Open file descriptors', [
            g.target('process_open_fds{%s}' % sel, 'open {{instance}}'),
            g.target('process_max_fds{%s}' % sel, 'limit {{instance}}'),
          ], 'short', 'Open file descriptors (sockets to CoinW and scrapers) and their limit.', { w: 6, min: 0, decimals: 0 }),
          g.stat(c, 'Uptime', [g.target('time() - process_start_time_seconds{%s}' % sel, '{{instance}}')], 's',
                 'Time since each exporter process started: a short one after a crash or an unexpected restart.',
                 { w: 6, h: 8, thresholds: g.steps('orange', [[3600, 'green']]) }),
        ])
        + g.row('Collectors and passes', [
          g.stat(c, 'Collector status', [g.target('coinw_collector_success{%s}' % acc, '{{account}} {{collector}}')], 'none',
                 'Whether the last refresh of each collector succeeded.',
                 { w: 8, mappings: g.okBad, thresholds: g.goodIfOne, alerts: ['CoinwCollectorFailing'] }),
          g.stat(c, 'Data age', [g.target('time() - coinw_collector_last_success_timestamp_seconds{%s}' % acc, '{{account}} {{collector}}')], 's',
                 "Per account and collector: time since data last arrived from CoinW.",
                 { w: 8, thresholds: g.steps('green', [[300, 'yellow'], [promql.seconds(c.dataStaleAfter), 'red']]), alerts: ['CoinwDataStale'] }),
          g.stat(c, 'Last complete invitee pass', [
            g.target('time() - coinw_collector_last_full_refresh_timestamp_seconds{%s,collector="invitee_assets"}' % acc, '{{account}}'),
          ], 's', 'Per account: time since the last complete pass over all invitees.',
            { w: 8, thresholds: g.steps('green', [[3600, 'yellow'], [promql.seconds(c.fullRefreshStaleAfter), 'red']]),
              alerts: ['CoinwInviteeFullRefreshStale'] }),
          g.timeseries(c, 'Pass progress', [
            g.target('coinw_invitee_refresh_progress_ratio{%s}' % acc, '{{account}} {{quote}}'),
          ], 'percentunit', 'How far the cumulative invitee pass in progress has come, against the rows of the last complete pass (1 when idle; above 1 when the list grew).',
            { w: 8, min: 0 }),
          g.bargauge(c, 'Time since each pass completed', [
            g.target('time() - coinw_invitee_pass_last_complete_timestamp_seconds{%s}' % acc, '{{account}} {{quote}} {{pass}}', instant=true),
          ], 's', 'Per account, quote and pass (cumulative, watch, or a window): time since it last completed. Open windows are due every window_refresh_interval (%s here); a closed window completes once, for good.' % c.windowRefreshInterval,
            { w: 8, h: 8, thresholds: g.steps('green', [[2 * refresh, 'yellow'], [c.windowStaleFactor * refresh, 'red']]),
              alerts: ['CoinwWindowStale'] }),
          g.timeseries(c, 'Requests per pass', [
            g.target('sum by (account, pass) (rate(coinw_invitee_pass_requests_total{%s}[%s]))' % [acc, ri], '{{account}} {{pass}}'),
          ], 'reqps', 'Invitee requests per second by pass: what each pass costs of the key\'s 5 requests/s.', { w: 8, stack: true }),
          g.timeseries(c, 'Collector duration', [g.target('coinw_collector_duration_seconds{%s}' % acc, '{{account}} {{collector}}')], 's',
                       "How long each collector's last refresh took.", { thresholds: g.steps('green', [[20, 'yellow'], [30, 'red']]) }),
          g.timeseries(c, 'Collector success', [g.target('coinw_collector_success{%s}' % acc, '{{account}} {{collector}}')], 'none',
                       'Refresh success of each collector over time.',
                       { min: 0, max: 1, mappings: g.okBad, thresholds: g.goodIfOne, alerts: ['CoinwCollectorFailing'] }),
        ])
        + g.row('CoinW API', [
          g.timeseries(c, 'Requests', [
            g.target('sum by (account, endpoint) (rate(coinw_api_requests_total{%s}[%s]))' % [acc, ri], '{{account}} {{endpoint}}'),
          ], 'reqps', 'Requests per second to CoinW, per account and endpoint.'),
          g.timeseries(c, 'Failures by reason', [
            g.target('sum by (endpoint, reason) (rate(coinw_api_failures_total{%s}[%s]))' % [acc, ri], '{{endpoint}} {{reason}}'),
          ], 'reqps', 'Failed requests per second by reason: auth/permission is the key, network/tls/timeout the path to CoinW, server_error CoinW, rate_limited another user of the key.',
            { stack: true, thresholds: g.badIfPositive, alerts: ['CoinwCollectorFailing', 'CoinwApiAuthFailing', 'CoinwApiRateLimited'] }),
          g.timeseries(c, 'Failure ratio', [
            g.target('sum by (account, endpoint) (rate(coinw_api_failures_total{%(a)s}[%(ri)s])) / sum by (account, endpoint) (rate(coinw_api_requests_total{%(a)s}[%(ri)s]))' % { a: acc, ri: ri },
                     '{{account}} {{endpoint}}'),
          ], 'percentunit', 'Share of requests to CoinW that failed.', { min: 0, thresholds: g.steps('green', [[0.05, 'yellow'], [0.25, 'red']]) }),
          g.timeseries(c, 'Request latency', [
            g.target('histogram_quantile(%g, sum by (le, endpoint) (rate(coinw_api_request_duration_seconds_bucket{%s}[%s])))' % [q, acc, ri],
                     'p%d {{endpoint}}' % (q * 100))
            for q in [0.5, 0.95, 0.99]
          ], 's', 'Latency quantiles of CoinW requests per endpoint.', { thresholds: g.steps('green', [[2, 'yellow'], [10, 'red']]) }),
          g.timeseries(c, 'Invalid rows and fields', [
            g.target('sum by (account, endpoint) (increase(coinw_api_invalid_rows_total{%s}[%s]))' % [acc, ri], '{{account}} {{endpoint}} rows'),
            g.target('sum by (account, endpoint, field) (increase(coinw_api_invalid_fields_total{%s}[%s]))' % [acc, ri], '{{account}} {{endpoint}} {{field}}'),
          ], 'short', 'Rows skipped because their uid was unreadable, and single values left out because they were unreadable or unexpected, by field. Steady counts mean CoinW changed its format.',
            { bars: true, thresholds: g.badIfPositive, alerts: ['CoinwUnexpectedApiFormat'] }),
          g.timeseries(c, 'Clock skew against CoinW', [
            g.target('max by (account) (coinw_api_clock_skew_seconds{%s})' % acc, '{{account}}'),
          ], 's', "How far the exporter's clock is from CoinW's, from the Date header of its answers (one-second resolution). Signed requests fail once it exceeds CoinW's tolerance.",
            { thresholds: g.steps('green', [[2, 'red']]), alerts: ['CoinwClockSkew'] }),
          g.bargauge(c, 'Failures in time range', [
            g.target('sum by (reason) (increase(coinw_api_failures_total{%s}[$__range]))' % acc, '{{reason}}', instant=true),
          ], 'short', 'Failed requests to CoinW in the selected range, by reason (every reason is counted from 0, so a 0 is a real zero).',
            { w: 12, h: 8, decimals: 0, thresholds: g.badIfPositive }),
        ])
        + g.row('Rate limiting', [
          g.timeseries(c, 'Time waiting for the local rate limiter', [
            g.target('sum by (account, endpoint) (rate(coinw_rate_limiter_wait_seconds_total{%s}[%s]))' % [acc, ri], '{{account}} {{endpoint}}'),
          ], 'percentunit', 'Share of wall time spent waiting for our own limiter; near 100% means the refresh cannot keep up.',
            { min: 0, thresholds: g.steps('green', [[0.5, 'yellow'], [0.9, 'red']]) }),
          g.timeseries(c, 'Pauses after CoinW rate limiting (29001/429)', [
            g.target('sum by (account, endpoint) (increase(coinw_rate_limit_pauses_total{%s}[%s]))' % [acc, ri], 'pauses {{account}} {{endpoint}}'),
            g.target('max by (account, endpoint) (coinw_rate_limit_paused{%s})' % acc, 'paused now {{account}} {{endpoint}}'),
          ], 'short', 'Pauses the exporter took after CoinW answered 29001/429, and whether it is pausing now.',
            { thresholds: g.badIfPositive, alerts: ['CoinwApiRateLimited'] }),
        ]),
    ),
  },
}
