// The exporter's own health and the freshness of its data: whether what the
// dashboards and the sub-account alerts show can be trusted.
local promql = import '../lib/promql.libsonnet';
local rule = import '../lib/rule.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local sel(metric, matchers='') = promql.sel(c, metric, matchers),
    local job = 'job="%s"' % c.job,
    local timeout = promql.seconds(c.scrapeTimeout),
    local windowStale = c.windowStaleFactor * promql.seconds(c.windowRefreshInterval),
    local target = 'job, instance, account',

    groups+: [{
      name: 'coinw-exporter',
      rules: [
        rule.alert(
          c, 'CoinwCollectorFailing', 'ticket', '%s == 0' % sel('coinw_collector_success'),
          summary='Collector {{ $labels.collector }} for {{ $labels.account }} is failing.',
          description='Every refresh of collector {{ $labels.collector }} for account {{ $labels.account }} on '
                      + '{{ $labels.instance }} has failed for %s; its data in Prometheus no longer changes. ' % c.collectorFailingFor
                      + 'coinw_api_failures_total says why.',
          why='One failed refresh is normal noise (a timeout, a rate-limit pause); failures that last mean the data goes stale.',
          forDuration=c.collectorFailingFor,
        ),

        rule.alert(
          c, 'CoinwDataStale', 'ticket',
          'time() - %s > %d' % [sel('coinw_collector_last_success_timestamp_seconds'), promql.seconds(c.dataStaleAfter)],
          summary='Data of collector {{ $labels.collector }} for {{ $labels.account }} is stale.',
          description='The last successful refresh of collector {{ $labels.collector }} for account {{ $labels.account }} '
                      + 'on {{ $labels.instance }} was {{ $value | humanizeDuration }} ago.',
          why='Catches what CoinwCollectorFailing cannot: a collector that flaps between success and failure, or one that is no longer asked to refresh.',
          forDuration=c.dataStaleFor,
        ),

        rule.alert(
          c, 'CoinwInviteeFullRefreshStale', 'info',
          'time() - %s > %d' % [sel('coinw_collector_last_full_refresh_timestamp_seconds', 'collector="invitee_assets"'),
                                promql.seconds(c.fullRefreshStaleAfter)],
          summary='No complete invitee pass for {{ $labels.account }} in over %s.' % c.fullRefreshStaleAfter,
          description='The last complete pass over all invitees of account {{ $labels.account }} finished '
                      + '{{ $value | humanizeDuration }} ago: some per-invitee values and the per-quote sums are that old.',
          why='Invitees are fetched page by page across scrapes; when passes stop completing, old values are served without any failure.',
          forDuration=c.fullRefreshStaleFor,
        ),

        rule.alert(
          c, 'CoinwWindowStale', 'ticket', |||
            max by (%(target)s, quote, window) (
              label_replace(time() - %(complete)s > %(limit)d, "window", "$1", "pass", "(.+)")
              or
              label_replace(
                %(requests)s * 0
                + on (job, instance) group_left () (time() - %(start)s > %(limit)d)
                unless on (%(target)s, quote, pass) %(complete)s,
                "window", "$1", "pass", "(.+)"
              )
            )
            and on (%(target)s, window)
            (%(end)s >= time() and %(begin)s <= time())
          ||| % {
            target: target,
            limit: windowStale,
            complete: sel('coinw_invitee_pass_last_complete_timestamp_seconds'),
            requests: sel('coinw_invitee_pass_requests_total'),
            start: sel('process_start_time_seconds'),
            begin: sel('coinw_window_start_timestamp_seconds'),
            end: sel('coinw_window_end_timestamp_seconds'),
          },
          summary='Window {{ $labels.window }} ({{ $labels.quote }}) of {{ $labels.account }} has not completed a pass for {{ $value | humanizeDuration }}.',
          description='The open window {{ $labels.window }} of account {{ $labels.account }} ({{ $labels.quote }}) on {{ $labels.instance }} '
                      + 'has had no complete pass for {{ $value | humanizeDuration }}, more than %d times its refresh interval (%s): ' % [c.windowStaleFactor, c.windowRefreshInterval]
                      + 'its sums (coinw_invitees_window_*) are that old, or absent since the period began.',
          why=|||
            Only windows that contain now (closed ones are fetched once, for good).
            The second part covers a window that has not completed since the
            exporter started (no completion time yet), once the exporter has run
            that long; it needs process_start_time_seconds, which /probe targets
            do not carry. windowRefreshInterval must match the exporter's
            window_refresh_interval.
          |||,
          forDuration=c.windowStaleFor,
        ),

        rule.alert(
          c, 'CoinwApiRateLimited', 'ticket',
          'sum by (%s, endpoint) (increase(%s[10m])) > 0' % [target, sel('coinw_api_failures_total', 'reason="rate_limited"')],
          summary='CoinW keeps rate-limiting {{ $labels.account }} on {{ $labels.endpoint }}.',
          description='CoinW answered {{ $value | printf "%.0f" }} request(s) for endpoint {{ $labels.endpoint }} of account '
                      + '{{ $labels.account }} with a rate-limit error (29001/429) in the last 10 minutes, and has done so for %s. ' % c.rateLimitedFor
                      + 'The exporter alone stays under the limits: something else uses the key or the address.',
          why='A single 29001/429 is absorbed by the pause logic; only one that keeps recurring alerts.',
          forDuration=c.rateLimitedFor,
        ),

        rule.alert(
          c, 'CoinwClockSkew', 'ticket',
          'abs(avg_over_time(%s[%s])) > %g' % [sel('coinw_api_clock_skew_seconds'), c.clockSkewWindow, c.clockSkewMax],
          summary='The clock of {{ $labels.instance }} is {{ $value | printf "%.1f" }} s off CoinW\'s ({{ $labels.account }}).',
          description='Over %s, the Date header of CoinW\'s answers to account {{ $labels.account }} differed from the clock of ' % c.clockSkewWindow
                      + '{{ $labels.instance }} by {{ $value | printf "%.1f" }} s on average. Signed invitee requests carry that '
                      + 'clock\'s time; beyond CoinW\'s (undocumented) tolerance every one of them fails as auth. Check NTP on the host.',
          why='A skewed clock turns into auth failures with nothing pointing at the clock; the Date header shows it first, at no cost.',
          forDuration=c.clockSkewFor,
        ),

        rule.alert(
          c, 'CoinwApiAuthFailing', 'page',
          'sum by (%s, endpoint, reason) (increase(%s[10m])) > 0' % [target, sel('coinw_api_failures_total', 'reason=~"auth|permission"')],
          summary='CoinW rejects the API key of {{ $labels.account }} ({{ $labels.reason }}).',
          description='Requests to {{ $labels.endpoint }} for account {{ $labels.account }} fail with reason {{ $labels.reason }}: '
                      + 'no data arrives until the key, its permissions or its IP whitelist are fixed.',
          why='Auth and permission errors never heal by retrying: the key was revoked, expired, lost its IP whitelist or lacks a permission. Without data the sub-account alerts are blind, so it pages.',
          forDuration=c.authFailingFor,
        ),

        rule.alert(
          c, 'CoinwUnexpectedApiFormat', 'ticket', |||
            sum by (%(target)s, endpoint) (increase(%(fields)s[10m])) > 0
            or
            sum by (%(target)s, endpoint) (increase(%(failures)s[10m])) > 0
          ||| % {
            target: target,
            fields: sel('coinw_api_invalid_fields_total'),
            failures: sel('coinw_api_failures_total', 'reason="unexpected_format"'),
          },
          summary="CoinW's {{ $labels.endpoint }} answers for {{ $labels.account }} do not have the expected format.",
          description="For %s, fields of CoinW's {{ $labels.endpoint }} answers for account {{ $labels.account }} " % c.unexpectedFormatFor
                      + 'could not be read, or refreshes failed with reason unexpected_format. coinw_api_invalid_fields_total names the fields.',
          why='Drift in CoinW\'s format is no outage (unreadable fields are left out, the last good values stay), so only this shows it.',
          forDuration=c.unexpectedFormatFor,
        ),

        rule.alert(
          c, 'CoinwExporterConfigReloadFailed', 'ticket', '%s == 0' % sel('coinw_exporter_config_last_reload_successful'),
          summary='coinw-exporter on {{ $labels.instance }} failed to reload its configuration.',
          description='The last configuration reload on {{ $labels.instance }} failed; the exporter keeps running with the previous '
                      + 'configuration, and would not start with the file as it is.',
          forDuration=c.configReloadFailedFor,
        ),

        rule.alert(
          c, 'CoinwScrapeNearTimeout', 'info',
          'scrape_duration_seconds{%s} > %g' % [std.join(',', [m for m in [c.selector, job] if m != '']), c.scrapeTimeoutWarnRatio * timeout],
          summary='Scrapes of {{ $labels.instance }} take {{ $value | humanizeDuration }}.',
          description='Scraping coinw-exporter on {{ $labels.instance }} takes close to the %s scrape timeout; ' % c.scrapeTimeout
                      + 'the next slow CoinW answer turns into a failed scrape.',
          why='The exporter fits its refresh into the scrape timeout, so scrapes near it are normal for large networks but leave no slack. _config.scrapeTimeout must match the job.',
          forDuration=c.scrapeNearTimeoutFor,
        ),

        rule.alert(
          c, 'CoinwScrapeNearSampleLimit', 'ticket',
          'scrape_samples_scraped{%s} > %d' % [std.join(',', [m for m in [c.selector, job] if m != '']), c.sampleLimitWarnRatio * c.sampleLimit],
          summary='Scrapes of {{ $labels.instance }} hold {{ $value | printf "%%.0f" }} samples, near the sample_limit of %d.' % c.sampleLimit,
          description='A scrape of {{ $labels.instance }} with more than %d samples fails as a whole (up == 0). ' % c.sampleLimit
                      + 'Each invitee costs 6 + 2 per window series per quote: raise sample_limit (and _config.sampleLimit), '
                      + 'or set per_invitee_series: top.',
          why='Invitee networks grow, and every window adds per-invitee series: the limit is reached by growth, not by a change anyone made that day.',
          forDuration=c.scrapeNearSampleLimitFor,
        ),

        rule.alert(
          c, 'CoinwExporterDown', 'page',
          '%(up)s == 0 or absent(%(up)s)' % { up: promql.sel(c, 'up', job) },
          summary='coinw-exporter is down{{ with $labels.instance }} on {{ . }}{{ else }}: no target for job "%s"{{ end }}.' % c.job,
          description='{{ if $labels.instance }}Prometheus has failed to scrape coinw-exporter on {{ $labels.instance }} for %s' % c.exporterDownFor
                      + '{{ else }}Prometheus has no target for job "%s": the scrape configuration or service discovery lost the exporter{{ end }}. ' % c.job
                      + 'No CoinW data is collected and the other alerts are blind. First: is the process running, '
                      + 'does /-/healthy answer from the Prometheus host, what does the target page say?',
          why='absent() covers a removed or mislabelled scrape job, which would otherwise silence every alert without anything looking wrong. The description carries the first steps: while the exporter is down, the runbook it serves is down too.',
          forDuration=c.exporterDownFor,
        ),
      ],
    }],
  },
}
