// Plain-jsonnet building blocks for the dashboards (grafonnet is not packaged
// in Debian): one set of conventions for all three, so that they cannot drift
// apart. Panels carry w and h; dashboard() lays them out left to right.
local runbook = import 'runbook.libsonnet';
local text = import 'text.libsonnet';

{
  ds:: { type: 'prometheus', uid: '${datasource}' },

  // Queries select the target variables first, then account, quote and window.
  sel:: 'job=~"$job",instance=~"$instance"',
  acc:: self.sel + ',account=~"$account"',
  accQ:: self.acc + ',quote=~"$quote"',

  // Threshold steps: steps('green', [[10, 'yellow'], [100, 'red']]).
  steps(base, rest=[]):: {
    mode: 'absolute',
    steps: [{ color: base, value: null }] + [{ color: s[1], value: s[0] } for s in rest],
  },
  neutral:: self.steps('blue'),
  badIfPositive:: self.steps('green', [[1, 'red']]),
  goodIfOne:: self.steps('red', [[1, 'green']]),

  // [[raw value, text, color], ...] as a Grafana value mapping.
  mapping(values):: [{
    type: 'value',
    options: { [std.toString(v[0])]: { text: v[1], color: v[2], index: i } for i in std.range(0, std.length(values) - 1) for v in [values[i]] },
  }],
  okBad:: self.mapping([[1, 'OK', 'green'], [0, 'FAILING', 'red']]),
  frozen:: self.mapping([[1, 'Frozen', 'red'], [0, 'Normal', 'green']]),
  enabled:: self.mapping([[1, 'Enabled', 'green'], [0, 'Disabled', 'red']]),
  upDown:: self.mapping([[1, 'Up', 'green'], [0, 'Down', 'red']]),

  // minStep: the query's "Min step", which Grafana also takes as the scrape
  // interval in $__rate_interval (max($__interval + it, 4 * it)); the panels
  // set it to the real scrape interval for every range function, so rate()
  // has samples whatever the data source's scrape-interval setting says.
  target(expr, legend='', instant=false, format='time_series', ref=null, minStep=null):: {
    datasource: $.ds,
    expr: std.rstripChars(expr, '\n'),
    legendFormat: if legend == '' then '__auto' else legend,
    range: !instant,
    instant: instant,
    format: format,
    refId: ref,
  } + (if minStep == null then {} else { interval: minStep }),

  // An instant query for a table.
  row_(expr, ref=null):: self.target(expr, instant=true, format='table', ref=ref),

  // opts: thresholds, w, h, mappings, options, custom, overrides,
  // transformations, decimals, noValue, min, max, timeShift, and alerts: the
  // names of the alerts the panel explains (it links to their runbook sections).
  panel(c, kind, title, targets, unit, description, opts={})::
    local o = {
      thresholds: $.neutral, w: 6, h: 6, mappings: [], options: {}, custom: null, overrides: [],
      transformations: [], decimals: null, noValue: null, min: null, max: null, alerts: [], timeShift: null,
    } + opts;
    local optional(fields) = { [k]: fields[k] for k in std.objectFields(fields) if fields[k] != null };
    local usesRange(t) = text.contains(t.expr, '$__rate_interval') || text.contains(t.expr, '[$__interval]');
    {
      type: kind,
      title: title,
      description: description,
      datasource: $.ds,
      targets: [
        targets[i] { refId: if targets[i].refId == null then std.char(65 + i) else targets[i].refId }
        + (if usesRange(targets[i]) && !std.objectHas(targets[i], 'interval') then { interval: c.scrapeInterval } else {})
        for i in std.range(0, std.length(targets) - 1)
      ],
      fieldConfig: {
        defaults: {
          unit: unit,
          thresholds: o.thresholds,
          mappings: o.mappings,
          color: { mode: if std.member(['stat', 'bargauge', 'table'], kind) then 'thresholds' else 'palette-classic' },
        } + optional({ decimals: o.decimals, noValue: o.noValue, min: o.min, max: o.max, custom: o.custom }),
        overrides: o.overrides,
      },
      options: o.options,
      w:: o.w,
      h:: o.h,
    }
    + (if o.alerts == [] then {} else {
         links: [{ title: 'Runbook: ' + a, url: runbook.dashboardURL(c, a), targetBlank: true } for a in o.alerts],
       })
    + (if o.transformations == [] then {} else { transformations: o.transformations })
    + (if o.timeShift == null then {} else { timeShift: o.timeShift, hideTimeOverride: false }),

  stat(c, title, targets, unit, description, opts={})::
    self.panel(c, 'stat', title, targets, unit, description, {
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
        justifyMode: 'auto',
        orientation: 'auto',
      },
    } + opts),

  // bars: per-interval counts; stack: stacked series.
  timeseries(c, title, targets, unit, description, opts={})::
    local o = { bars: false, stack: false } + opts;
    self.panel(c, 'timeseries', title, targets, unit, description, {
      w: 12,
      h: 8,
      custom: {
        drawStyle: if o.bars then 'bars' else 'line',
        lineWidth: 1,
        fillOpacity: if o.bars then 80 else 10,
        showPoints: 'never',
        spanNulls: false,
        stacking: { mode: if o.stack then 'normal' else 'none', group: 'A' },
        thresholdsStyle: { mode: 'off' },
      },
      options: {
        legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    } + { [k]: opts[k] for k in std.objectFields(opts) if !std.member(['bars', 'stack'], k) }),

  // Instant queries merged into one table; hide: columns left out; rename: {column: title}; sort: column, descending.
  table(c, title, targets, unit, description, opts={})::
    local o = { hide: [], rename: {}, sort: null } + opts;
    local exclude = { Time: true, __name__: true, job: true, instance: true } + { [k]: true for k in o.hide };
    self.panel(c, 'table', title, targets, unit, description, {
      w: 12,
      h: 9,
      transformations: (if std.length(targets) > 1 then [{ id: 'merge', options: {} }] else [])
                       + [{ id: 'organize', options: { excludeByName: exclude, renameByName: o.rename } }],
      options: {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], countRows: false },
        sortBy: if o.sort == null then [] else [{ displayName: o.sort, desc: true }],
      },
    } + { [k]: opts[k] for k in std.objectFields(opts) if !std.member(['hide', 'rename', 'sort'], k) }),

  bargauge(c, title, targets, unit, description, opts={})::
    self.panel(c, 'bargauge', title, targets, unit, description, {
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        orientation: 'horizontal',
        displayMode: 'basic',
        showUnfilled: true,
        valueMode: 'color',
        namePlacement: 'left',
      },
    } + opts),

  overrideByName(name, props):: {
    matcher: { id: 'byName', options: name },
    properties: [{ id: k, value: props[k] } for k in std.objectFields(props)],
  },
  cellColors(mappings):: { mappings: mappings, 'custom.cellOptions': { type: 'color-background', mode: 'basic' } },

  // A row and its panels, laid out by dashboard().
  row(title, panels):: [{ type: 'row', title: title, collapsed: false, panels: [], w:: 24, h:: 1 }] + panels,

  // --- variables ---
  datasourceVar:: {
    type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', current: {},
    hide: 0, refresh: 1, regex: '', options: [], includeAll: false, multi: false,
  },

  // allValue null: "All" means the listed values only (Grafana joins them),
  // which keeps `up` and `scrape_*` to the exporter's jobs.
  queryVar(name, label, query, multi=true, allValue='.*', regex='', hide=0):: {
    type: 'query', name: name, label: label, datasource: $.ds,
    query: { query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    definition: query, refresh: 2, sort: 1, regex: regex, hide: hide,
    multi: multi, includeAll: multi, allValue: if multi then allValue else null,
    current: if multi then { selected: true, text: ['All'], value: ['$__all'] } else {},
    options: [],
  },

  // job, instance and account, each narrowed by the ones before it.
  targetVars(metric, accountMetric=metric):: [
    self.queryVar('job', 'Job', 'label_values(%s, job)' % metric, allValue=null),
    self.queryVar('instance', 'Instance', 'label_values(%s{job=~"$job"}, instance)' % metric, allValue=null),
    self.queryVar('account', 'Account', 'label_values(%s{%s}, account)' % [accountMetric, self.sel]),
  ],

  customVar(name, label, values, default):: {
    type: 'custom', name: name, label: label, query: std.join(',', values), hide: 0, multi: false, includeAll: false,
    current: { selected: true, text: default, value: default },
    options: [{ selected: v == default, text: v, value: v } for v in values],
  },

  // The exporter whose /runbook the links open, when the URL pattern names one.
  runbookVars(c):: if !text.contains(c.runbookURLPattern, '%(instance)s') then [] else [
    self.queryVar('runbook_host', 'Runbook from', 'label_values(coinw_exporter_build_info, instance)', multi=false, hide=2),
  ],

  // --- the dashboard ---
  local annotation(name, expr, color, title, text, tags) = {
    name: name, datasource: $.ds, enable: true, hide: false, iconColor: color, expr: expr, step: '60s',
    titleFormat: title, textFormat: text, tagKeys: tags, useValueForTime: false,
  },

  // Flows panels left to right in a 24-column grid, a new line when full or at a row.
  layout(panels)::
    local step(acc, p) =
      local newLine = acc.x + p.w > 24 || p.type == 'row';
      local x = if newLine then 0 else acc.x;
      local y = if newLine then acc.y + acc.lineH else acc.y;
      local placed = p { id: std.length(acc.out) + 1, gridPos: { x: x, y: y, w: p.w, h: p.h } };
      if p.type == 'row' then { x: 0, y: y + p.h, lineH: 0, out: acc.out + [placed] }
      else { x: x + p.w, y: y, lineH: std.max(if newLine then 0 else acc.lineH, p.h), out: acc.out + [placed] };
    std.foldl(step, panels, { x: 0, y: 0, lineH: 0, out: [] }).out,

  dashboard(c, uid, title, description, tags, variables, panels, from=c.dashboardFrom):: {
    uid: uid,
    title: title,
    description: description,
    tags: c.dashboardTags + tags,
    editable: true,
    graphTooltip: 1,
    timezone: c.dashboardTimezone,
    refresh: c.dashboardRefresh,
    schemaVersion: 39,
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    time: { from: from, to: 'now' },
    timepicker: {},
    annotations: { list: [
      {
        builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true,
        iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard',
      },
      // When a configuration was (re)loaded, and when a sub-account changed state
      // (also a change undone within one scrape: the counter sees it).
      annotation('Config reloads',
                 'changes(coinw_exporter_config_last_reload_success_timestamp_seconds{%s}[2m]) > 0' % $.sel,
                 'rgba(0, 211, 255, 1)', 'Configuration loaded', '{{instance}}', 'instance'),
      annotation('Sub-account state changes',
                 'sum by (account, uid, flag) (increase(coinw_sub_account_changes_total{%s}[2m])) > 0' % $.acc,
                 'rgba(255, 152, 48, 1)', 'Sub-account {{uid}}: {{flag}} changed', '{{account}}', 'account,flag'),
    ] },
    links: [
      {
        type: 'dashboards', tags: c.dashboardTags, asDropdown: true, title: 'CoinW', includeVars: true, keepTime: true,
        icon: 'external link', targetBlank: false, tooltip: '', url: '',
      },
      {
        type: 'link', title: 'Runbook', url: std.rstripChars(runbook.dashboardURL(c, ''), '#'), icon: 'doc', targetBlank: true,
        tooltip: 'What each alert means and what to do', asDropdown: false, includeVars: false, keepTime: false, tags: [],
      },
    ],
    templating: { list: variables + $.runbookVars(c) },
    panels: $.layout(panels),
  },
}
