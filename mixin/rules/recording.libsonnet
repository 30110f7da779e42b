// Recording rules the dashboards read.
local promql = import '../lib/promql.libsonnet';
local rule = import '../lib/rule.libsonnet';

{
  // [condition, range label] of the affiliate dashboard's balance distribution.
  balanceRanges:: [
    ['<= 0', '0'], ['> 0 <= 10', '0-10'], ['> 10 <= 100', '10-100'], ['> 100 <= 1000', '100-1k'],
    ['> 1000 <= 10000', '1k-10k'], ['> 10000 <= 100000', '10k-100k'], ['> 100000', '100k+'],
  ],
  balanceDistribution:: 'account_quote:coinw_invitee_current_balance:count',

  prometheusRules+:: {
    local c = $._config,
    local balance = promql.sel(c, 'coinw_invitee_current_balance'),
    local by = 'job, instance, account, quote',
    groups+: [{
      name: 'coinw-recording',
      rules: [
        rule.record($.balanceDistribution, |||
          count by (%(by)s) (%(balance)s %(cond)s)
          or
          0 * group by (%(by)s) (%(balance)s)
        ||| % { by: by, balance: balance, cond: r[0] }, labels={ range: r[1] }, why=if r == $.balanceRanges[0] then |||
          The balance distribution panel would count every per-invitee series seven
          times per refresh; recorded once per evaluation it reads seven small
          series. A range without invitees is 0, not absent, so an empty panel
          means no data rather than no invitees.
        ||| else '')
        for r in $.balanceRanges
      ],
    }],
  },
}
