// CoinW / Sub-accounts: the state of every sub-account of the master accounts.
local g = import '../lib/grafana.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local acc = g.acc,
    local flag(name) = 'coinw_sub_account_%s{%s}' % [name, acc],
    local info = 'max by (account, uid, user_code, nick_name) (%s)' % flag('info'),
    local joined(name) = 'max by (account, uid) (%s) * on (account, uid) group_left (user_code, nick_name) %s' % [flag(name), info],
    // 1 for each sub-account with spot or contract trading disabled, 0 for the others.
    local disabled = |||
      max by (account, uid) (
        label_replace(%s == bool 0, "market", "spot", "", "")
        or label_replace(%s == bool 0, "market", "contract", "", "")
      )
    ||| % [flag('spot_trade_enabled'), flag('contract_trade_enabled')],
    local changes(range) = std.join(' + ', ['changes(%s[%s])' % [flag(f), range] for f in ['frozen', 'spot_trade_enabled', 'contract_trade_enabled']]),

    'coinw-subaccounts.json': g.dashboard(
      c, 'coinw-subaccounts', 'CoinW / Sub-accounts',
      'State of every sub-account of the configured master accounts.', ['sub-accounts'],
      [g.datasourceVar] + g.targetVars('coinw_sub_accounts'),
      panels=
        g.row('Overview', [
          g.stat(c, 'Sub-accounts', [g.target('sum(coinw_sub_accounts{%s})' % acc, 'sub-accounts')], 'short',
                 'Sub-accounts of the selected master accounts, as listed by CoinW.', { w: 5, decimals: 0 }),
          g.stat(c, 'Frozen', [g.target('sum(%s)' % flag('frozen'), 'frozen')], 'short',
                 'Sub-accounts CoinW reports as frozen (declared or not). No data, not 0, when no sub-account is reported.',
                 { w: 5, decimals: 0, thresholds: g.badIfPositive, alerts: ['CoinwSubAccountFrozen'] }),
          g.stat(c, 'Spot trading disabled', [g.target('sum(%s == bool 0)' % flag('spot_trade_enabled'), 'spot')], 'short',
                 'Sub-accounts with spot trading disabled (declared or not).',
                 { w: 5, decimals: 0, thresholds: g.steps('green', [[1, 'orange']]), alerts: ['CoinwSubAccountTradingDisabled'] }),
          g.stat(c, 'Contract trading disabled', [g.target('sum(%s == bool 0)' % flag('contract_trade_enabled'), 'contract')], 'short',
                 'Sub-accounts with contract trading disabled (declared or not).',
                 { w: 5, decimals: 0, thresholds: g.steps('green', [[1, 'orange']]), alerts: ['CoinwSubAccountTradingDisabled'] }),
          g.stat(c, 'Data age', [
            g.target('time() - max by (account) (coinw_collector_last_success_timestamp_seconds{%s,collector="sub_accounts"})' % acc, '{{account}}'),
          ], 's', 'Per master account: time since its sub-account list was last fetched from CoinW.',
            { w: 4, thresholds: g.steps('green', [[120, 'yellow'], [promql.seconds(c.dataStaleAfter), 'red']]), alerts: ['CoinwDataStale'] }),
        ])
        + g.row('Sub-accounts', [
          g.table(c, 'All sub-accounts', [
            g.row_(joined('frozen'), 'A'), g.row_(joined('spot_trade_enabled'), 'B'), g.row_(joined('contract_trade_enabled'), 'C'),
          ], 'none', 'Every sub-account with its state; nicknames are masked unless the exporter is told otherwise.',
            { w: 24, h: 12,
              rename: { account: 'Master account', uid: 'UID', user_code: 'User code', nick_name: 'Nickname',
                        'Value #A': 'State', 'Value #B': 'Spot trading', 'Value #C': 'Contract trading' },
              overrides: [g.overrideByName('State', g.cellColors(g.frozen)),
                          g.overrideByName('Spot trading', g.cellColors(g.enabled)),
                          g.overrideByName('Contract trading', g.cellColors(g.enabled))],
              alerts: ['CoinwSubAccountFrozen', 'CoinwSubAccountTradingDisabled'] }),
        ])
        + g.row('Changes', [
          g.timeseries(c, 'Frozen and trading-disabled sub-accounts', [
            g.target('sum by (account) (%s)' % flag('frozen'), 'frozen {{account}}'),
            g.target('sum by (account) (%s)' % disabled, 'trading disabled {{account}}'),
          ], 'short', 'Frozen and trading-disabled sub-accounts per master account over time.',
            { decimals: 0, thresholds: g.badIfPositive }),
          g.timeseries(c, 'State changes', [
            g.target('sum by (account) (changes(%s[$__interval]))' % flag(f[0]), f[1] + ' {{account}}', minStep='5m')
            for f in [['frozen', 'frozen/unfrozen'], ['spot_trade_enabled', 'spot flag'], ['contract_trade_enabled', 'contract flag']]
          ], 'short', 'Number of state flips per interval (at least 5m) as scraped; a flip undone between two scrapes shows in the annotations and CoinwSubAccountStateChanged.',
            { bars: true, stack: true, decimals: 0, alerts: ['CoinwSubAccountStateChanged'] }),
          g.table(c, 'Changes per sub-account in the time range', [
            g.row_('sort_desc(sum by (account, uid) (%s))' % changes('$__range')),
          ], 'short', 'Every sub-account with the number of flag changes in the selected range, as scraped, most changed first.',
            { w: 24, h: 8, rename: { Value: 'Changes', uid: 'UID', account: 'Master account' }, sort: 'Changes', decimals: 0,
              alerts: ['CoinwSubAccountStateChanged'] }),
        ]),
    ),
  },
}
