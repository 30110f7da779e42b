// An example Alertmanager configuration for these alerts: one notification
// per alert and account (thirty sub-accounts frozen by one decision are one
// page), paging by severity, and inhibition of what follows from a cause
// that already alerts.
{
  alertmanagerConfig:: {
    local c = $._config,
    local am = c.alertmanager,
    local severity(kind) = 'severity="%s"' % c.severities[kind],
    local receiver(kind) = {
      name: kind,
      webhook_configs: [{ url: am.webhooks[kind], send_resolved: true }],
    },

    route: {
      receiver: 'ticket',
      group_by: am.groupBy,
      group_wait: am.groupWait,
      group_interval: am.groupInterval,
      repeat_interval: am.repeatInterval,
      routes: [
        { matchers: [severity('page')], receiver: 'page' },
        { matchers: [severity('info')], receiver: 'info', repeat_interval: am.infoRepeatInterval },
      ],
    },
    inhibit_rules: [
      {
        why:: 'A target that cannot be scraped explains every other alert about it.',
        source_matchers: ['alertname="CoinwExporterDown"'],
        target_matchers: ['alertname=~"Coinw.+"', 'alertname!="CoinwExporterDown"'],
        equal: ['job', 'instance'],
      },
      {
        why:: 'A refused key explains failing collectors and stale data of the same account.',
        source_matchers: ['alertname="CoinwApiAuthFailing"'],
        target_matchers: ['alertname=~"CoinwCollectorFailing|CoinwDataStale|CoinwInviteeFullRefreshStale|CoinwWindowStale"'],
        equal: ['account'],
      },
    ],
    receivers: [receiver(k) for k in ['page', 'ticket', 'info']],
  },
}
