// Unit tests of the mixin's helpers, run by ctest (ops.mixin_lib):
//   jsonnet -J mixin tests/rules/mixin_lib_test.jsonnet
// The YAML writer is also checked whole by lint_rules.py, which reads every
// rendered file back and compares it with the mixin.
local promql = import 'lib/promql.libsonnet';
local yaml = import 'lib/yaml.libsonnet';

local eq(got, want) = if got == want then true else error 'got %s, want %s' % [std.manifestJson(got), std.manifestJson(want)];

[
  eq(promql.seconds('90s'), 90),
  eq(promql.seconds('15m'), 900),
  eq(promql.seconds('1h30m'), 5400),
  eq(promql.seconds('500ms'), 0.5),
  eq(promql.sel({ selector: '' }, 'up'), 'up'),
  eq(promql.sel({ selector: 'cluster="eu"' }, 'up', 'job="coinw"'), 'up{cluster="eu",job="coinw"}'),
  eq(promql.indent('a\n\nb\n', 2), '  a\n\n  b'),
  // Strings YAML would read as something else are quoted; durations are not.
  eq(yaml.document({ a: '2m', b: 'yes', c: '0', d: 'x: y', e: 'a:', f: '100k+', g: 'l"q' }),
     'a: 2m\nb: "yes"\nc: "0"\nd: "x: y"\ne: "a:"\nf: "100k+"\ng: \'l"q\'\n'),
  // Hidden `why` becomes a comment; multi-line text a block scalar.
  eq(yaml.document({ rules: [{ record: 'r', expr: 'a\nor b', why:: 'Because.' }] }),
     'rules:\n  # Because.\n  - record: r\n    expr: |-\n      a\n      or b\n'),
]
