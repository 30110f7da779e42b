// The sub-accounts' API keys (sub_accounts.api_keys): a security audit. Like
// the sub-account alerts they read held recording rules, so a gap in the data
// (a failed scrape, an exporter restart, data dropped after staleness_limit)
// neither resolves nor re-fires them; tests/rules/alerts_test.yml has a case
// for each gap. A key is its masked public key (`key`), never the whole key.
local promql = import '../lib/promql.libsonnet';
local rule = import '../lib/rule.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local sub = promql.sub,
    local owner = sub + ', user_code',
    local heldName(metric) = 'sub_account_api_key:' + metric + ':held',
    local held(metric, on) = rule.record(heldName(metric), promql.held(c, promql.sel(c, metric), on=on)),
    local perKey = [
      'coinw_sub_account_api_key_read_only',
      'coinw_sub_account_api_key_ip_whitelist_enabled',
      'coinw_sub_account_api_key_spot_trade_enabled',
      'coinw_sub_account_api_key_contract_trade_enabled',
    ],
    local expected = ['coinw_sub_account_expected_max_api_keys', 'coinw_sub_account_expected_read_only_api_keys'],
    local who = '{{ with $labels.user_code }}{{ . }}{{ end }}{{ with $labels.uid }} (uid {{ . }}){{ end }}',

    groups+: [{
      name: 'coinw-sub-account-keys',
      rules: [held(m, promql.key) for m in perKey]
             + [held('coinw_sub_account_api_keys', owner)]
             + [held(m, sub) for m in expected] + [

        rule.alert(
          c, 'CoinwSubAccountApiKeyTradingWithoutWhitelist', 'ticket', |||
            max by (%(id)s, uid) (
              %(spot)s == 1 or %(contract)s == 1
            )
            and on (%(id)s)
            %(whitelist)s == 0
          ||| % {
            id: promql.key,
            spot: heldName(perKey[2]),
            contract: heldName(perKey[3]),
            whitelist: heldName(perKey[1]),
          },
          summary='API key {{ $labels.key }} of sub-account %s of {{ $labels.account }} can trade without an IP whitelist.' % who,
          description='CoinW reports that API key {{ $labels.key }} (masked) of sub-account %s under master account ' % who
                      + '{{ $labels.account }} may trade and is not bound to any IP address: whoever holds its secret '
                      + 'can trade from anywhere. Reported by {{ $labels.instance }}.',
          why=|||
            A trading key without a whitelist is the classic leaked-key loss; it is
            a configuration to fix in working hours, not an incident, so a ticket.
            A flag CoinW sends unreadably is left out, so it neither fires nor
            resolves this alert on its own.
          |||,
          forDuration=c.apiKeyWithoutWhitelistFor, keepFiringFor=c.keepFiringFor,
        ),

        rule.alert(
          c, 'CoinwSubAccountApiKeyAdded', 'info',
          'sum by (%s) (increase(%s[%s])) > 0\n' % [
            owner, promql.sel(c, 'coinw_sub_account_api_key_changes_total', 'change="added"'), c.apiKeyAddedWindow,
          ],
          summary='A new API key on sub-account %s of {{ $labels.account }}.' % who,
          description='CoinW listed {{ $value | printf "%%.0f" }} new API key(s) on sub-account %s ' % who
                      + 'under master account {{ $labels.account }} in the last %s. ' % c.apiKeyAddedWindow
                      + 'If nobody meant to create one, revoke it on CoinW.',
          why=|||
            A record that someone created a key: the counter starts at 0 for every
            sub-account, so increase() sees the first key; an exporter restart resets
            it, which increase() does not take for a new key.
          |||,
        ),

        rule.alert(
          c, 'CoinwSubAccountApiKeysUnexpected', 'ticket', |||
            label_replace(
              %(keys)s
              > on (%(sub)s) group_left
              %(max)s,
              "reason", "too_many_keys", "", ""
            )
            or
            label_replace(
              count by (%(owner)s) (%(ro)s == 0)
              and on (%(sub)s)
              %(only_ro)s == 1,
              "reason", "read_write_key", "", ""
            )
          ||| % {
            sub: sub,
            owner: owner,
            keys: heldName('coinw_sub_account_api_keys'),
            max: heldName(expected[0]),
            ro: heldName(perKey[0]),
            only_ro: heldName(expected[1]),
          },
          summary='Sub-account %s of {{ $labels.account }} has {{ if eq $labels.reason "too_many_keys" }}more API keys than declared{{ else }}a key that is not read-only{{ end }}.' % who,
          description='Sub-account %s under master account {{ $labels.account }} has {{ $value | printf "%%.0f" }} ' % who
                      + '{{ if eq $labels.reason "too_many_keys" }}API keys, more than max_api_keys allows{{ else }}API key(s) that are not read-only, though read_only_api_keys is set{{ end }} '
                      + 'in sub_accounts.expected of the exporter configuration. Reported by {{ $labels.instance }}.',
          why=|||
            Only sub-accounts with a declaration in sub_accounts.expected alert; the
            declaration is held like the state, so a gap changes neither side.
          |||,
          forDuration=c.apiKeysUnexpectedFor, keepFiringFor=c.keepFiringFor,
        ),
      ],
    }],
  },
}
