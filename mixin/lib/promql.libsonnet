// PromQL pieces the rules share. Each takes the mixin's _config as `c`.
{
  // `metric{matchers}` with the site's selector (_config.selector) in front;
  // no braces when there is nothing to match.
  sel(c, metric, matchers=''):: (
    local all = std.join(',', [m for m in [c.selector, matchers] if m != '']);
    if all == '' then metric else metric + '{' + all + '}'
  ),

  // Each line of `text` indented by n spaces, without a final newline.
  indent(text, n):: std.join('\n', [if l == '' then l else std.repeat(' ', n) + l for l in std.split(std.rstripChars(text, '\n'), '\n')]),

  // One sub-account as one target reports it.
  sub:: 'job, instance, account, uid',

  // `series` as reported now; while `present` is absent (a failed scrape, an
  // exporter restart, data dropped after staleness_limit), its last value
  // within holdFor instead. A reported value always wins over a held one.
  // `on`: the labels that name one thing (a sub-account; an API key).
  held(c, series, present=series, on=$.sub):: |||
    %(s)s
    or on (%(on)s)
    (last_over_time(%(s)s[%(hold)s]) unless on (%(on)s) %(p)s)
  ||| % { s: series, p: present, on: on, hold: c.holdFor },

  // One API key of a sub-account as one target reports it (uid may be empty
  // until the sub-account list names its user_code).
  key:: 'job, instance, account, user_code, key',

  // Seconds in a Prometheus duration such as '90s', '15m' or '1h30m'.
  seconds(d):: (
    local unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    local flush(acc) =
      if acc.u == '' then acc
      else if std.objectHas(unit, acc.u) then { total: acc.total + acc.n * unit[acc.u], n: 0, u: '' }
      else error 'bad duration ' + d;
    local step(acc, ch) =
      if ch >= '0' && ch <= '9' then (local f = flush(acc); f { n: f.n * 10 + std.parseInt(ch) })
      else acc { u: acc.u + ch };
    local r = flush(std.foldl(step, std.stringChars(d), { total: 0, n: 0, u: '' }));
    if d == '' || r.n != 0 then error 'bad duration ' + d else r.total
  ),
}
