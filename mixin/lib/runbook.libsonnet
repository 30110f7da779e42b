// Links to an alert's section of the runbook (docs/runbook.md, served by the
// exporter at /runbook), from _config.runbookURLPattern.
{
  // The section's anchor: the heading, lower-cased, as GitHub and the exporter make it.
  anchor(alert):: std.asciiLower(alert),
  // In an alert: the exporter that raised it serves the runbook.
  alertURL(c, alert):: c.runbookURLPattern % { instance: '{{ $labels.instance }}', anchor: $.anchor(alert) },
  // On a dashboard: the exporter chosen by the hidden $runbook_host variable.
  dashboardURL(c, alert):: c.runbookURLPattern % { instance: '${runbook_host}', anchor: $.anchor(alert) },
}
