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
    local key(name) = 'coinw_sub_account_api_key_%s{%s}' % [name, acc],
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
        ])
        // sub_accounts.api_keys: every key by its masked public key.
        + g.row('Keys', [
          g.stat(c, 'Keys without IP whitelist', [g.target('sum(%s == bool 0)' % key('ip_whitelist_enabled'), 'no whitelist')], 'short',
                 'API keys of sub-accounts not bound to any IP address.',
                 { w: 6, decimals: 0, thresholds: g.steps('green', [[1, 'orange']]), alerts: ['CoinwSubAccountApiKeyTradingWithoutWhitelist'] }),
          g.stat(c, 'Read-write keys', [g.target('sum(%s == bool 0)' % key('read_only'), 'read-write')], 'short',
                 'API keys of sub-accounts that are not read-only.',
                 { w: 6, decimals: 0, thresholds: g.steps('green', [[1, 'yellow']]), alerts: ['CoinwSubAccountApiKeysUnexpected'] }),
          g.timeseries(c, 'Keys per master account', [
            g.target('sum by (account) (coinw_sub_account_api_keys{%s})' % acc, 'keys {{account}}'),
          ], 'short', 'API keys of all sub-accounts per master account; a step up is a new key.',
            { w: 12, decimals: 0, alerts: ['CoinwSubAccountApiKeyAdded'] }),
          g.table(c, 'Newest keys', [
            g.row_('sort_desc(max by (account, uid, user_code, key) (%s))' % key('created_timestamp_seconds'), 'A'),
            g.row_('max by (account, uid, user_code, key) (%s)' % key('read_only'), 'B'),
            g.row_('max by (account, uid, user_code, key) (%s)' % key('ip_whitelist_enabled'), 'C'),
          ], 'dateTimeAsIso', 'Every API key of the sub-accounts, newest first: keys are masked (a few characters at each end), remarks masked like nicknames, IP lists never exported.',
            { w: 24, h: 10,
              rename: { account: 'Master account', uid: 'UID', user_code: 'User code', key: 'Key',
                        'Value #A': 'Created', 'Value #B': 'Read-only', 'Value #C': 'IP whitelist' },
              sort: 'Created',
              alerts: ['CoinwSubAccountApiKeyTradingWithoutWhitelist', 'CoinwSubAccountApiKeyAdded', 'CoinwSubAccountApiKeysUnexpected'] }),
        ])
        // sub_accounts.funds: what each sub-account can move out, per coin.
        + g.row('Funds', [
          g.timeseries(c, 'Transferable per coin', [
            g.target('sum by (account, coin) (coinw_sub_accounts_transferable{%s})' % acc, '{{coin}} {{account}}'),
          ], 'short', 'Sum over all sub-accounts of what they can move out of their funding accounts, of the last complete pass; open orders, spot and futures accounts are not included.',
            { w: 12 }),
          g.table(c, 'Transferable per sub-account', [
            g.row_('sort_desc(max by (account, uid, coin) (coinw_sub_account_transferable{%s}))' % acc),
          ], 'short', 'What each sub-account can move out of its funding account, per coin, as of its last answer.',
            { w: 12, h: 8, rename: { Value: 'Transferable', uid: 'UID', account: 'Master account', coin: 'Coin' }, sort: 'Transferable' }),
        ]),
    ),
  },
}
