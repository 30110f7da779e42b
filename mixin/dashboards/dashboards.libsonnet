// The three dashboards, by file name. A new dashboard is a file beside these
// that adds itself to grafanaDashboards, imported here.
(import 'affiliate.libsonnet') +
(import 'subaccounts.libsonnet') +
(import 'exporter.libsonnet')
