// CoinW / Affiliate overview: the invitees' money, per affiliate account.
local g = import '../lib/grafana.libsonnet';
local promql = import '../lib/promql.libsonnet';
local recording = import '../rules/recording.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local accQ = g.accQ,
    local win = accQ + ',window=~"$window"',
    local month = accQ + ',window="%s"' % c.monthWindow,
    local money = 'currencyUSD',
    local partial = ' Per-invitee series: partial under per_invitee_series: top (only the top_k invitees) and empty under none.',
    local complete = ' Complete under every per_invitee_series setting.',
    local byQuote(metric) = 'sum by (quote) (%s{%s})' % [metric, accQ],
    local refresh = promql.seconds(c.windowRefreshInterval),
    // The funnel's series have account and window, no quote.
    local fw = g.acc + ',window=~"$window"',
    local per(metric) = 'sum by (account, window) (%s{%s})' % [metric, fw],

    'coinw-affiliate.json': g.dashboard(
      c, 'coinw-affiliate', 'CoinW / Affiliate overview',
      'Deposits, withdrawals and balances of direct invitees, per affiliate account.', ['affiliate'],
      [g.datasourceVar] + g.targetVars('coinw_invitees') + [
        g.queryVar('quote', 'Quote', 'label_values(coinw_invitees{%s}, quote)' % g.acc),
        g.queryVar('window', 'Window', 'label_values(coinw_window_start_timestamp_seconds{%s}, window)' % g.acc,
                   allValue=null,
                   regex=if c.dashboardWindows == [] then '' else '/^(%s)$/' % std.join('|', c.dashboardWindows)),
        g.customVar('topn', 'Top N', ['5', '10', '20', '50', '100'], '10'),
      ],
      from=c.affiliateDashboardFrom,
      panels=
        g.row('Overview', [
          g.stat(c, 'Invitees', [g.target(byQuote('coinw_invitees'), '{{quote}}')], 'short',
                 'Direct invitees of the last complete refresh pass, counted by the exporter, per quote currency.' + complete,
                 { w: 4, decimals: 0 }),
          g.stat(c, 'Depositors', [g.target(byQuote('coinw_invitees_depositors'), '{{quote}}')], 'short',
                 'Invitees who have ever deposited.' + complete, { w: 4, decimals: 0 }),
          g.stat(c, 'Total deposits', [g.target(byQuote('coinw_invitees_deposits'), '{{quote}}')], money,
                 "Sum of all invitees' deposits, per quote currency." + complete, { w: 4, decimals: 2 }),
          g.stat(c, 'Total withdrawals', [g.target(byQuote('coinw_invitees_withdrawals'), '{{quote}}')], money,
                 "Sum of all invitees' withdrawals, per quote currency." + complete, { w: 4, decimals: 2 }),
          g.stat(c, 'Net flow',
                 [g.target('%s - %s' % [byQuote('coinw_invitees_deposits'), byQuote('coinw_invitees_withdrawals')], '{{quote}}')],
                 money, 'Deposits minus withdrawals over all invitees; negative means more money left than came in.' + complete,
                 { w: 4, decimals: 2, thresholds: g.steps('red', [[0, 'green']]) }),
          g.stat(c, 'Invitee balances', [g.target(byQuote('coinw_invitees_balance'), '{{quote}}')], money,
                 "Sum of all invitees' current balances, per quote currency." + complete, { w: 4, decimals: 2 }),
        ])
        + g.row('Periods', [
          g.table(c, 'Periods', [
            g.row_('1000 * max by (account, window) (coinw_window_start_timestamp_seconds{%s,window=~"$window"})' % g.acc, 'A'),
            g.row_('1000 * max by (account, window) (coinw_window_end_timestamp_seconds{%s,window=~"$window"})' % g.acc, 'B'),
          ], 'dateTimeAsIso',
            "The dates each window covers now, both ends included, as the exporter computes them in global.time_zone (the dashboard shows them in the viewer's time zone). Windows come from invitee_assets.windows.",
            { w: 9, h: 7, rename: { account: 'Account', window: 'Window', 'Value #A': 'From', 'Value #B': 'To' } }),
          g.table(c, 'Totals by period', [
            g.row_('sum by (account, window, quote) (coinw_invitees_window_deposits{%s})' % win, 'A'),
            g.row_('sum by (account, window, quote) (coinw_invitees_window_withdrawals{%s})' % win, 'B'),
            g.row_('sum by (account, window, quote) (coinw_invitees_window_deposits{%(w)s}) - sum by (account, window, quote) (coinw_invitees_window_withdrawals{%(w)s})' % { w: win }, 'C'),
            g.row_('sum by (account, window, quote) (coinw_invitees_window_depositors{%s})' % win, 'D'),
          ], money,
            'Exact totals of each period from its last complete pass; a period has no row until its first pass completes. CoinW limits deposits and withdrawals to the period; the balance is always the latest.' + complete,
            { w: 15, h: 7, decimals: 2,
              rename: { account: 'Account', window: 'Window', quote: 'Quote', 'Value #A': 'Deposits', 'Value #B': 'Withdrawals', 'Value #C': 'Net', 'Value #D': 'Depositors' },
              overrides: [g.overrideByName('Depositors', { unit: 'short', decimals: 0 })] }),
          g.stat(c, 'Deposits this month', [g.target('sum by (quote) (coinw_invitees_window_deposits{%s})' % month, '{{quote}}')],
                 money, 'Month to date: deposits since the first of the month (window %s in invitee_assets.windows).' % c.monthWindow + complete,
                 { w: 6, decimals: 2 }),
          g.stat(c, 'Same point last month', [g.target('sum by (quote) (coinw_invitees_window_deposits{%s})' % month, '{{quote}}')],
                 money, 'The month-to-date deposits one calendar month ago, to compare with "Deposits this month". Needs a Prometheus retention of over a month (15 days by default).' + complete,
                 { w: 6, decimals: 2, timeShift: '1M', noValue: 'No data a month ago' }),
          g.stat(c, 'Depositors this month', [g.target('sum by (quote) (coinw_invitees_window_depositors{%s})' % month, '{{quote}}')],
                 'short', 'Invitees with a deposit since the first of the month (window %s).' % c.monthWindow + complete,
                 { w: 6, decimals: 0 }),
          g.stat(c, 'Depositors same point last month', [g.target('sum by (quote) (coinw_invitees_window_depositors{%s})' % month, '{{quote}}')],
                 'short', 'Depositors of the month to date one calendar month ago. Needs a Prometheus retention of over a month.' + complete,
                 { w: 6, decimals: 0, timeShift: '1M', noValue: 'No data a month ago' }),
          g.table(c, 'Top invitees by deposit in the period',
                  [g.row_('sort_desc(topk by (window) ($topn, coinw_invitee_window_deposit{%s}))' % win)], money,
                  'The $topn invitees who deposited most in each selected period.' + partial,
                  { w: 12, h: 8, decimals: 2, rename: { Value: 'Deposited', uid: 'UID', window: 'Window' }, sort: 'Deposited' }),
          g.table(c, 'Watch list', [
            g.row_('coinw_invitee_%s{%s} and on (account, quote, uid) coinw_invitee_watched{%s}' % [m[0], accQ, accQ], m[1])
            for m in [['current_balance', 'A'], ['total_deposit', 'B'], ['total_withdrawal', 'C']]
          ], money,
            'The invitees of invitee_assets.watch: fetched one by one every watch.min_refresh_interval, so fresher than the full passes. Complete whatever per_invitee_series says.',
            { w: 12, h: 8, decimals: 2, sort: 'Balance',
              rename: { uid: 'UID', 'Value #A': 'Balance', 'Value #B': 'Total deposit', 'Value #C': 'Total withdrawal' } }),
        ])
        // invitee_registrations and invitee_trade_volume.
        + g.row('Funnel', [
          g.table(c, 'Funnel by period', [
            g.row_('1000 * max by (account, window) (coinw_window_start_timestamp_seconds{%s})' % fw, 'A'),
            g.row_('1000 * max by (account, window) (coinw_window_end_timestamp_seconds{%s})' % fw, 'B'),
            g.row_(per('coinw_invitees_registered'), 'C'),
            g.row_(per('coinw_invitees_window_first_deposits'), 'D'),
            g.row_('%s / (%s > 0)' % [per('coinw_invitees_window_registered_depositors'), per('coinw_invitees_registered')], 'E'),
            g.row_(per('coinw_invitees_window_traders'), 'F'),
            g.row_(per('coinw_invitees_window_trade_volume'), 'G'),
          ], 'short',
            "Per period: sign-ups, first deposits (from the invitee assets' firstDepositTime), the conversion: the share of the period's sign-ups who have deposited since (no value without sign-ups), invitees who traded, and their trading volume as CoinW reports it (which markets it covers is undocumented). Volume appears once every day of the period was fetched; a past day is fetched once, for good." + complete,
            { w: 24, h: 7, decimals: 0,
              rename: { account: 'Account', window: 'Window', 'Value #A': 'From', 'Value #B': 'To', 'Value #C': 'Sign-ups',
                        'Value #D': 'First deposits', 'Value #E': 'Conversion', 'Value #F': 'Traders', 'Value #G': 'Volume' },
              overrides: [
                g.overrideByName('From', { unit: 'dateTimeAsIso' }),
                g.overrideByName('To', { unit: 'dateTimeAsIso' }),
                g.overrideByName('Conversion', { unit: 'percentunit', decimals: 1 }),
                g.overrideByName('Volume', { unit: money, decimals: 2 }),
              ] }),
          g.timeseries(c, 'Sign-ups and first deposits by period', [
            g.target(per('coinw_invitees_registered'), 'sign-ups {{account}} {{window}}'),
            g.target(per('coinw_invitees_window_first_deposits'), 'first deposits {{account}} {{window}}'),
            g.target(per('coinw_invitees_window_traders'), 'traders {{account}} {{window}}'),
          ], 'short', 'The funnel of each selected period over time: a calendar window climbs through its period and starts again at its next one.' + complete,
            { decimals: 0 }),
          g.table(c, 'Top invitees by volume in the period',
                  [g.row_('sort_desc(topk by (window) ($topn, coinw_invitee_window_trade_volume{%s}))' % fw)], money,
                  'The $topn invitees who traded most in each selected period.' + partial,
                  { w: 12, h: 8, decimals: 2, rename: { Value: 'Volume', uid: 'UID', window: 'Window' }, sort: 'Volume' }),
        ])
        + g.row('Trends', [
          g.timeseries(c, 'Deposits, withdrawals and balances', [
            g.target(byQuote('coinw_invitees_deposits'), 'deposits {{quote}}'),
            g.target(byQuote('coinw_invitees_withdrawals'), 'withdrawals {{quote}}'),
            g.target(byQuote('coinw_invitees_balance'), 'balance {{quote}}'),
          ], money, 'Totals over all invitees over time, per quote currency.' + complete),
          g.timeseries(c, 'Net flow per account', [
            g.target('sum by (account, quote) (coinw_invitees_deposits{%(q)s}) - sum by (account, quote) (coinw_invitees_withdrawals{%(q)s})' % { q: accQ },
                     '{{account}} {{quote}}'),
          ], money, "Deposits minus withdrawals of each affiliate account's invitees over time." + complete,
            { thresholds: g.steps('red', [[0, 'green']]) }),
          g.timeseries(c, 'Period deposits', [
            g.target('sum by (account, window, quote) (coinw_invitees_window_deposits{%s})' % win, '{{account}} {{window}} {{quote}}'),
          ], money, 'Deposits of each selected period over time: a calendar window climbs through its period and starts again at 0 when the next one begins.' + complete),
          g.timeseries(c, 'New first depositors', [
            g.target('sum by (quote) (clamp_min(delta(coinw_invitees_depositors{%s}[$__interval]), 0))' % accQ, '{{quote}}', minStep='5m'),
          ], 'short', 'Growth of the depositor count per interval (at least 5m), from the sums of complete passes only, so a pass in progress or a restart shows no false spike.' + complete,
            { bars: true, decimals: 0 }),
          g.timeseries(c, 'Invitees', [
            g.target('sum by (account, quote) (coinw_invitees{%s})' % accQ, '{{account}} {{quote}}'),
            g.target('sum by (account, quote) (coinw_invitees_reported{%s})' % accQ, '{{account}} {{quote}} as CoinW reports'),
          ], 'short', "Invitees of the last complete pass, and CoinW's own count, which may differ." + complete, { decimals: 0 }),
          g.stat(c, 'First deposits in time range', [
            g.target('sum by (quote) (coinw_invitee_first_deposit_timestamp_seconds{%s} > bool (time() - $__range_s))' % accQ, '{{quote}}'),
          ], 'short', 'Invitees whose first deposit falls in the selected time range.' + partial, { w: 6, h: 8, decimals: 0 }),
          g.bargauge(c, 'Invitee balance distribution', [
            g.target('sum(%s{%s,range="%s"})' % [recording.balanceDistribution, accQ, r[1]], r[1], instant=true)
            for r in recording.balanceRanges
          ], 'short', 'Number of invitees per balance range (quote currency), from the recording rule %s of config/alerts.yml: load those rules where this data source evaluates them.' % recording.balanceDistribution + partial,
            { w: 18, h: 8, decimals: 0 }),
        ])
        + g.row('Top invitees', [
          g.table(c, 'Top invitees by balance', [g.row_('sort_desc(topk($topn, coinw_invitee_current_balance{%s}))' % accQ)], money,
                  'The $topn invitees with the largest current balance.' + partial,
                  { decimals: 2, rename: { Value: 'Balance', uid: 'UID' }, sort: 'Balance' }),
          g.table(c, 'Top invitees by total deposit', [g.row_('sort_desc(topk($topn, coinw_invitee_total_deposit{%s}))' % accQ)], money,
                  'The $topn invitees who deposited most in total.' + partial,
                  { decimals: 2, rename: { Value: 'Total deposit', uid: 'UID' }, sort: 'Total deposit' }),
          g.table(c, 'Top invitees by net withdrawal',
                  [g.row_('sort_desc(topk($topn, coinw_invitee_total_withdrawal{%(q)s} - coinw_invitee_total_deposit{%(q)s}))' % { q: accQ })], money,
                  'The $topn invitees who withdrew most beyond what they deposited (orange: more out than in).' + partial,
                  { decimals: 2, rename: { Value: 'Withdrawn minus deposited', uid: 'UID' }, sort: 'Withdrawn minus deposited',
                    thresholds: g.steps('green', [[0.01, 'orange']]) }),
          local recent = 'coinw_invitee_first_deposit_timestamp_seconds{%s} > 0' % accQ;
          g.table(c, 'Most recent first deposits', [
            g.row_('1000 * max by (account, quote, uid) (topk($topn, %s))' % recent, 'A'),
            g.row_('max by (account, quote, uid) (coinw_invitee_first_deposit_amount{%s} and on (account, quote, uid) topk($topn, %s))' % [accQ, recent], 'B'),
          ], 'dateTimeAsIso', 'The $topn most recent first deposits with their amounts.' + partial,
            { rename: { 'Value #A': 'First deposit', 'Value #B': 'Amount', uid: 'UID' }, sort: 'First deposit',
              overrides: [g.overrideByName('Amount', { unit: money, decimals: 2 })] }),
          g.stat(c, 'Oldest invitee balance update', [
            g.target('time() - min by (account, quote) (coinw_invitee_balance_update_timestamp_seconds{%s} > 0)' % accQ, '{{account}} {{quote}}'),
          ], 's', 'How long ago CoinW last updated the balance of the invitee updated least recently: a measure of dormant invitees, not of data freshness (that is below).' + partial,
            { w: 24, h: 4 }),
        ])
        + g.row('Freshness', [
          g.stat(c, 'Invitee data age', [
            g.target('time() - max by (account) (coinw_collector_last_success_timestamp_seconds{%s,collector="invitee_assets"})' % g.acc, '{{account}}'),
          ], 's', 'Per account: time since invitee data last arrived from CoinW. CoinwDataStale fires after %s.' % c.dataStaleAfter,
            { w: 8, thresholds: g.steps('green', [[300, 'yellow'], [promql.seconds(c.dataStaleAfter), 'red']]), alerts: ['CoinwDataStale'] }),
          g.stat(c, 'Last complete pass over all invitees', [
            g.target('time() - max by (account) (coinw_collector_last_full_refresh_timestamp_seconds{%s,collector="invitee_assets"})' % g.acc, '{{account}}'),
          ], 's', 'Per account: large networks are refreshed over several scrapes; this is when the last full pass ended.',
            { w: 8, thresholds: g.steps('green', [[3600, 'yellow'], [promql.seconds(c.fullRefreshStaleAfter), 'red']]),
              alerts: ['CoinwInviteeFullRefreshStale'] }),
          g.stat(c, 'Period data age', [
            g.target(|||
              time() - max by (account, quote, window) (label_replace(coinw_invitee_pass_last_complete_timestamp_seconds{%s,pass=~"$window"}, "window", "$1", "pass", "(.+)"))
              and on (account, window) (max by (account, window) (coinw_window_end_timestamp_seconds{%s,window=~"$window"}) >= time())
            ||| % [accQ, g.acc], '{{account}} {{window}} {{quote}}'),
          ], 's', 'Per account, open window and quote: time since the window last completed a pass; it is fetched every window_refresh_interval (%s here). A closed window is fetched once, for good, and not shown.' % c.windowRefreshInterval,
            { w: 8, thresholds: g.steps('green', [[2 * refresh, 'yellow'], [c.windowStaleFactor * refresh, 'red']]),
              alerts: ['CoinwWindowStale'] }),
        ]),
    ),
  },
}
