// Every file rendered from the mixin, by path in the repository
// (scripts/render-mixin.sh writes them):
//   jsonnet -S -m OUT -J mixin mixin/render.jsonnet                      the YAML files
//   jsonnet -m OUT -J mixin --tla-code dashboards=true mixin/render.jsonnet  the dashboards
// The dashboards are objects that jsonnet writes as JSON itself: its own
// std.manifestJsonEx takes seconds per dashboard in jsonnet 0.18.
// The top-level argument `config` overrides _config for a site's copy:
//   --tla-code-file config=site.jsonnet    (an object such as { job: 'coinw-exporter' })
local yaml = import 'lib/yaml.libsonnet';

function(config={}, dashboards=false)
  local m = (import 'mixin.libsonnet') + { _config+:: config };
  local c = m._config;
  local groups = m.prometheusAlerts.groups + m.prometheusRules.groups;
  local settings = 'job "%s", scrape interval %s, timeout %s, sample limit %d, hold %s, runbook %s' % [
    c.job, c.scrapeInterval, c.scrapeTimeout, c.sampleLimit, c.holdFor, c.runbookURLPattern,
  ];
  local generated = 'GENERATED from the monitoring mixin (mixin/) by scripts/render-mixin.sh: edit the\nmixin and render again; a test fails while this file is stale.';
  local compose = m { _config+:: { alertmanager+: { webhooks: {
    [kind]: 'http://webhook:5001/' + kind
    for kind in std.objectFields(super.webhooks)
  } } } };
  if dashboards then {
    ['dashboards/' + name]: m.grafanaDashboards[name]
    for name in std.objectFields(m.grafanaDashboards)
  } else {
    'config/alerts.yml': yaml.document({ groups: groups }, |||
      Alerting and recording rules for coinw-exporter.
      %s
      Loaded by config/prometheus.yml (rule_files); docs/runbook.md explains each alert.
      Rendered with: %s.
    ||| % [generated, settings]),

    'deploy/kubernetes/prometheusrule.yaml': yaml.document({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'coinw-exporter',
        labels: { 'app.kubernetes.io/name': 'coinw-exporter', 'app.kubernetes.io/component': 'rules' },
      },
      spec: { groups: groups },
    }, |||
      The rules of config/alerts.yml for prometheus-operator.
      %s
      The ServiceMonitor names the scrape job "%s" (jobLabel), which the rules select.
    ||| % [generated, c.job]),

    'config/alertmanager.yml': yaml.document(m.alertmanagerConfig, |||
      An example Alertmanager configuration for the coinw-exporter alerts.
      %s
      Replace the webhook receivers by your pager, ticket and chat integrations.
      docs/alerting.md explains the grouping, routing and inhibition.
    ||| % generated),

    'deploy/compose/alertmanager.yml': yaml.document(compose.alertmanagerConfig, |||
      config/alertmanager.yml for docker-compose.yml: every receiver is the demo's
      webhook receiver (service `webhook`), which prints each notification.
      %s
    ||| % generated),
  }
