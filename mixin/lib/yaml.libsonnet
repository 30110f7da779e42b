// YAML for the rendered files, written for people who read them: keys in a
// conventional order (alert, expr, for, ... rather than alphabetical), PromQL
// as block scalars, long annotations folded, and an object's hidden `why` field
// (`why:: '...'`) as a comment above it. std.manifestYamlDoc (jsonnet 0.18)
// does none of these. Only what the mixin produces is handled: objects,
// arrays, strings, numbers, booleans and null.
local strings = import 'text.libsonnet';

local width = 100;

// Keys in this order first, the others alphabetically after them.
local order = [
  'apiVersion', 'kind', 'metadata', 'spec', 'global', 'route', 'inhibit_rules', 'receivers', 'templates',
  'name', 'namespace', 'interval', 'rules', 'groups',
  'alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations',
  'summary', 'description', 'runbook_url',
  'receiver', 'matchers', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'continue', 'routes',
  'source_matchers', 'target_matchers', 'equal',
];
// Sequences whose items are set apart by a blank line.
local spaced = ['groups', 'rules', 'routes', 'inhibit_rules', 'receivers'];

local keys(o) =
  [k for k in order if std.objectHas(o, k)] +
  std.sort([k for k in std.objectFields(o) if !std.member(order, k)]);

local all(bools) = std.foldl(function(a, b) a && b, bools, true);
// Character classes by code point: std.member on a string is slow in jsonnet 0.18.
local isLetter(c) = local p = std.codepoint(c); (p >= 65 && p <= 90) || (p >= 97 && p <= 122);
local isDigit(c) = local p = std.codepoint(c); p >= 48 && p <= 57;
local isPunct(c, set) = std.count(set, c) > 0;
local chars(s) = std.stringChars(s);

// A string YAML reads back as the same string without quotes: short words only.
local isPlain(s) =
  std.length(s) > 0 && std.length(s) <= 100 && (
    local cs = chars(s);
    local first = cs[0];
    local last = cs[std.length(s) - 1];
    all([isLetter(c) || isDigit(c) || isPunct(c, ['_', '.', '/', ':', '-']) for c in cs])
    && last != ':'
    && !std.member(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n'], std.asciiLower(s))
    && (isLetter(first) || first == '_' || first == '/'
        // durations such as 2m or 1h30m; other strings starting with a digit could read as numbers
        || all([isDigit(c) || isPunct(c, ['s', 'm', 'h', 'd', 'w', 'y']) for c in cs]) && isLetter(last))
  );

// The words of a text, a Go template action ({{ ... }}) counting as one word.
// (Built without slicing arrays: std.slice is slow in jsonnet 0.18.)
local words(text) =
  local step(acc, piece) =
    local cur = if acc.cur == null then piece else acc.cur + ' ' + piece;
    if strings.count(cur, '{{') > strings.count(cur, '}}') then acc { cur: cur }
    else { done: acc.done + [cur], cur: null };
  local r = std.foldl(step, std.split(text, ' '), { done: [], cur: null });
  r.done + (if r.cur == null then [] else [r.cur]);

// Words packed into lines of at most `w` characters (a longer word gets its own line).
local wrap(text, w) =
  local step(acc, word) =
    if acc.line == null then acc { line: word }
    else if std.length(acc.line) + 1 + std.length(word) <= w then acc { line: acc.line + ' ' + word }
    else { lines: acc.lines + [acc.line], line: word };
  local r = std.foldl(step, words(text), { lines: [], line: null });
  r.lines + (if r.line == null then [] else [r.line]);

local pad(n) = std.repeat(' ', n);

// The text after "key:" for a string, at the given indentation of its key;
// `fold`: a long line may be folded.
local string(s, indent, fold) =
  local lines = std.split(s, '\n');
  if std.length(lines) > 1 && !std.startsWith(s, ' ') && all([std.rstripChars(l, ' ') == l for l in lines]) then
    local body = if std.endsWith(s, '\n') then std.split(std.substr(s, 0, std.length(s) - 1), '\n') else lines;
    (if std.endsWith(s, '\n') then ' |' else ' |-') + '\n'
    + std.join('\n', [if l == '' then '' else pad(indent + 2) + l for l in body]) + '\n'
  else if std.length(lines) == 1 && isPlain(s) then ' ' + s + '\n'
  // Folded only where folding gives the text back: single spaces, none at either end.
  else if fold && std.length(lines) == 1 && indent + std.length(s) > width - 8
          && !strings.contains(s, '  ') && std.stripChars(s, ' ') == s then
    ' >-\n' + std.join('', [pad(indent + 2) + l + '\n' for l in wrap(s, width - indent - 2)])
  // PromQL matchers read best single-quoted.
  else if strings.contains(s, '"') && !strings.contains(s, "'")
          && all([std.codepoint(ch) >= 32 for ch in chars(s)]) then " '" + s + "'\n"
  else ' ' + std.escapeStringJson(s) + '\n';

local comment(o, indent) =
  if std.isObject(o) && std.objectHasAll(o, 'why') && o.why != '' then
    std.join('', [pad(indent) + '# ' + l + '\n' for l in wrap(std.join(' ', std.split(std.stripChars(o.why, ' \n'), '\n')), width - indent - 2)])
  else '';

local key(k) = if isPlain(k) then k else std.escapeStringJson(k);

// Mutually recursive, hence fields of one object.
local emit = {
  node(v, indent, k='')::
    if std.isObject(v) then
      if std.length(std.objectFields(v)) == 0 then ' {}\n' else '\n' + self.mapping(v, indent + 2)
    else if std.isArray(v) then
      if v == [] then ' []\n' else '\n' + self.sequence(v, indent + 2, std.member(spaced, k))
    // PromQL stays on one line: a reader copies it into the query box.
    else if std.isString(v) then string(v, indent, k != 'expr' && k != '')
    else if v == null then ' null\n'
    else ' ' + std.toString(v) + '\n',
  // inItem: the mapping is a sequence item, whose first key follows the "- ".
  mapping(o, indent, inItem=false)::
    local ks = keys(o);
    std.join('', [
      comment(o[ks[i]], indent) + (if inItem && i == 0 then '' else pad(indent))
      + key(ks[i]) + ':' + self.node(o[ks[i]], indent, ks[i])
      for i in std.range(0, std.length(ks) - 1)
    ]),
  sequence(a, indent, blank)::
    local item(x) =
      comment(x, indent) + pad(indent) + '-' +
      if std.isObject(x) && std.length(std.objectFields(x)) > 0 then ' ' + self.mapping(x, indent + 2, inItem=true)
      else self.node(x, indent);
    std.join(if blank then '\n' else '', [item(x) for x in a]),
};

{
  // A YAML document: `header` (lines of text) as comments, then the value.
  document(value, header=''):: std.join('', ['# ' + l + '\n' for l in std.split(std.rstripChars(header, '\n'), '\n') if header != ''])
                               + emit.mapping(value, 0),
}
