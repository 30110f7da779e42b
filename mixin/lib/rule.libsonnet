// Rule objects as Prometheus reads them. `why` is hidden: it is not part of
// the rule, but the rendered YAML shows it as a comment (lib/yaml.libsonnet).
local strip(s) = std.rstripChars(s, '\n');
{
  // kind: page, ticket or info, mapped to a severity by _config.severities.
  // `for` and `keep_firing_for` are left out when zero or null.
  alert(c, name, kind, expr, summary, description, why='', forDuration='0s', keepFiringFor=null):: {
    alert: name,
    expr: strip(expr),
    labels: { severity: c.severities[kind] },
    annotations: { summary: summary, description: description },
    why:: why,
  } + (if std.member(['0s', '0m', '0'], forDuration) then {} else { 'for': forDuration })
    + (if keepFiringFor == null then {} else { keep_firing_for: keepFiringFor }),

  record(name, expr, labels={}, why=''):: {
    record: name,
    expr: strip(expr),
    why:: why,
  } + (if labels == {} then {} else { labels: labels }),
}
