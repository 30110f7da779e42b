#!/usr/bin/env python3
"""docs/configuration.md's key table against config/example.yml, so that the
reference has one source of truth: every key the example sets is documented,
every documented default is the value the example sets, and every documented
key without a default (required, optional) at least appears in the example,
commented out. tests/unit/config_files_test.cpp checks that the example's
values are the defaults in the code.

    python3 tests/rules/lint_configuration.py [ROOT]

Needs python3-yaml (scripts/install-deps.sh)."""
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
NO_DEFAULT = {"(required)", "(none)", "(one required)"}


def documented():
    """{key: default cell}, from the table of docs/configuration.md's "## Keys" section."""
    text = (ROOT / "docs/configuration.md").read_text()
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"\| `([a-z_.\[\]]+)` \| ([^|]+) \|", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def flatten(node, prefix=""):
    """{key path: value} of the leaves; a list of accounts becomes accounts[]."""
    out = {}
    for key, value in node.items():
        path = f"{prefix}{key}"
        if key == "accounts":
            for account in value:
                out.update(flatten(account, path + "[]."))
        elif isinstance(value, dict) and value and key != "expected":
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def main():
    example_text = (ROOT / "config/example.yml").read_text()
    # ${VAR} values stay strings: only the keys matter for them.
    example = flatten(yaml.safe_load(example_text))
    commented = set(re.findall(r"^\s*#\s*([a-z_]+):", example_text, re.M))
    doc = documented()
    problems = []
    for key, value in example.items():
        if key not in doc:
            problems.append(f"{key}: set in config/example.yml but not in docs/configuration.md's table")
            continue
        cell = doc[key]
        if cell in NO_DEFAULT:
            continue
        literal = re.fullmatch(r"`(.*)`", cell)
        if not literal:
            problems.append(f"{key}: the default column must be a `literal` or one of {sorted(NO_DEFAULT)}")
        elif yaml.safe_load(literal.group(1)) != value:
            problems.append(f"{key}: docs/configuration.md says {cell}, config/example.yml sets {value!r}")
    for key, cell in doc.items():
        if key in example:
            continue
        if cell not in NO_DEFAULT:
            problems.append(f"{key}: documented with default {cell} but not set in config/example.yml")
        elif key.rsplit(".", 1)[-1] not in commented:
            problems.append(f"{key}: documented but not even commented out in config/example.yml")
    for p in problems:
        print(p)
    if not problems:
        print(f"docs/configuration.md documents the {len(doc)} keys of config/example.yml with their defaults")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
