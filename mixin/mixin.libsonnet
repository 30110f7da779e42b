// The coinw-exporter monitoring mixin: alerts, recording rules and Grafana
// dashboards for coinw-exporter, configured by _config (config.libsonnet).
//   prometheusAlerts   the alerting rules, with the recording rules they read
//   prometheusRules    the recording rules the dashboards read
//   grafanaDashboards  {file name: dashboard}
//   alertmanagerConfig an example Alertmanager configuration for these alerts
// mixin/README.md says how to render it and how to add an alert or a panel.
local runbook = import 'lib/runbook.libsonnet';

local mixin =
  (import 'config.libsonnet') +
  (import 'alerts/sub_accounts.libsonnet') +
  (import 'alerts/sub_account_keys.libsonnet') +
  (import 'alerts/exporter.libsonnet') +
  (import 'rules/recording.libsonnet') +
  (import 'dashboards/dashboards.libsonnet') +
  (import 'alertmanager.libsonnet');

mixin {
  // Every alert links to its runbook section.
  prometheusAlerts+:: {
    groups: [
      g {
        rules: [
          if std.objectHas(r, 'alert') then r { annotations+: { runbook_url: runbook.alertURL($._config, r.alert) } } else r
          for r in super.rules
        ],
      }
      for g in super.groups
    ],
  },
}
