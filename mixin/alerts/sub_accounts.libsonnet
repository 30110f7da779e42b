// The sub-account alerts: what the exporter exists for. They read the flags
// through "held" recording rules, so a gap in the data (a failed scrape, an
// exporter restart, data dropped after the exporter's staleness_limit) keeps
// the last reported state for _config.holdFor instead of resolving the alert
// and firing it again; tests/rules/alerts_test.yml has a case for each gap.
local promql = import '../lib/promql.libsonnet';
local text = import '../lib/text.libsonnet';
local rule = import '../lib/rule.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local sub = promql.sub,
    local heldName(metric) = 'sub_account:' + metric + ':held',
    local held(metric, present=metric) =
      rule.record(heldName(metric), promql.held(c, promql.sel(c, metric), promql.sel(c, present))),
    // The state differs from the operator's declaration in sub_accounts.expected
    // (coinw_sub_account_expected_*), or is `bad` where nothing is declared.
    local unexpected(metric, bad) = |||
      (%(a)s != on (%(sub)s) %(e)s)
      or
      (%(a)s == %(bad)d unless on (%(sub)s) %(e)s)
    ||| % {
      a: heldName(metric),
      e: heldName(std.strReplace(metric, 'coinw_sub_account_', 'coinw_sub_account_expected_')),
      sub: sub,
      bad: bad,
    },
    // Adds the sub-account's user_code label, CoinW's name for it.
    local withCode(expr) = '(\n%s\n)\n* on (%s) group_left (user_code)\n%s' % [
      promql.indent(expr, 2), sub, heldName('coinw_sub_account_code'),
    ],
    // "ABC123 (uid 1001)"; and a sentence with the alias (nick_name, masked by
    // default) through a query when the alert is sent, so that an alias change
    // does not change the alert's labels.
    local who = '{{ with $labels.user_code }}{{ . }} (uid {{ $labels.uid }}){{ else }}uid {{ $labels.uid }}{{ end }}',
    local alias =
      '{{ with printf `last_over_time(' + promql.sel(c, 'coinw_sub_account_info', 'job=%q,instance=%q,account=%q,uid=%q')
      + '[' + c.holdFor + '])` $labels.job $labels.instance $labels.account $labels.uid | query }}'
      + '{{ with . | first | label "nick_name" }} Its alias is {{ . }}.{{ end }}{{ end }}',
    local flags = ['coinw_sub_account_frozen', 'coinw_sub_account_spot_trade_enabled', 'coinw_sub_account_contract_trade_enabled'],

    groups+: [{
      name: 'coinw-sub-accounts',
      rules: [
        held(f) for f in flags
      ] + [
        held(std.strReplace(f, 'coinw_sub_account_', 'coinw_sub_account_expected_'), present=f) for f in flags
      ] + [
        rule.record(heldName('coinw_sub_account_code'), |||
          max by (%(sub)s, user_code) (
          %(info)s
          )
          or on (%(sub)s) group by (%(sub)s) (%(flags)s)
        ||| % {
          sub: sub,
          info: promql.indent(promql.held(c, promql.sel(c, 'coinw_sub_account_info')), 2),
          flags: std.join(' or ', [heldName(f) for f in flags]),
        }, why=|||
          Held as the flags are, so that the alerts keep their user_code label
          through a gap; a sub-account without a readable code keeps its alerts,
          without the label.
        |||),

        rule.alert(
          c, 'CoinwSubAccountFrozen', 'page', withCode(unexpected(flags[0], 1)),
          summary='Sub-account %s of {{ $labels.account }} is {{ if eq $value 1.0 }}frozen{{ else }}not frozen, though declared frozen{{ end }}.' % who,
          description='CoinW reports sub-account %s under master account {{ $labels.account }} as ' % who
                      + '{{ if eq $value 1.0 }}frozen: it can neither trade nor withdraw until CoinW unfreezes it.'
                      + '{{ else }}not frozen, but sub_accounts.expected in the exporter configuration declares it frozen.{{ end }}'
                      + alias + ' Reported by {{ $labels.instance }}.',
          why=|||
            A freeze is an operator decision on CoinW's side: it pages. The `for`
            rides over a single odd refresh; keep_firing_for over a single odd
            unfreeze; the held flags over gaps in the data. A sub-account declared
            frozen in sub_accounts.expected alerts when it is not frozen instead.
          |||,
          forDuration=c.frozenFor, keepFiringFor=c.keepFiringFor,
        ),

        rule.alert(
          c, 'CoinwSubAccountTradingDisabled', 'ticket',
          withCode(std.join('or\n', [
            'label_replace(\n%s,\n  "market", "%s", "", ""\n)\n' % [promql.indent(unexpected(f, 0), 2), m]
            for f in flags[1:]
            for m in [if text.contains(f, 'spot') then 'spot' else 'contract']
          ])),
          summary='{{ $labels.market | title }} trading is {{ if eq $value 1.0 }}enabled{{ else }}disabled{{ end }} for sub-account %s of {{ $labels.account }}.' % who,
          description='Sub-account %s under master account {{ $labels.account }} has {{ $labels.market }} trading ' % who
                      + '{{ if eq $value 1.0 }}enabled, but sub_accounts.expected in the exporter configuration declares it disabled.'
                      + '{{ else }}disabled: its orders on that market are refused.{{ end }}' + alias,
          why=|||
            The two flags are separate series; `market` tells them apart, so a
            sub-account with both disabled raises two alerts rather than one hiding
            the other. Where sub_accounts.expected declares a flag, only a
            difference from it alerts; undeclared flags are expected enabled.
          |||,
          forDuration=c.tradingDisabledFor, keepFiringFor=c.keepFiringFor,
        ),

        rule.alert(
          c, 'CoinwSubAccountStateChanged', 'info',
          withCode('sum by (%s, flag) (increase(%s[%s])) > 0\n' % [
            sub, promql.sel(c, 'coinw_sub_account_changes_total'), c.stateChangeWindow,
          ]),
          summary='The {{ $labels.flag }} flag of sub-account %s of {{ $labels.account }} changed.' % who,
          description='CoinW reported {{ $value | printf "%%.0f" }} change(s) of the {{ $labels.flag }} flag of sub-account %s ' % who
                      + 'under master account {{ $labels.account }} in the last %s.' % c.stateChangeWindow + alias,
          why=|||
            A record, not a problem: also a freeze or trading switch undone between
            two refreshes, which only the change counter sees (it starts at 0 for
            every flag, so increase() sees the first change; an exporter restart
            resets it, which increase() does not count as a change).
          |||,
        ),
      ],
    }],
  },
}
