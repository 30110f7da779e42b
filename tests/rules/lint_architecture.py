#!/usr/bin/env python3
"""ARCHITECTURE.md's module table against the build: each module's "may use"
column must name exactly the coinw modules its coinw_module(... DEPENDS ...)
links (for `app`, what its executables link), and every module must have a row.

    python3 tests/rules/lint_architecture.py [ROOT]

Standard library only."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])


def cmake_modules():
    """{module: set of coinw modules it links}, from src/*/CMakeLists.txt."""
    out = {}
    for cml in sorted((ROOT / "src").glob("*/CMakeLists.txt")):
        text = re.sub(r"#.*", "", cml.read_text())
        for call in re.finditer(r"coinw_module\((\w+)(.*?)\)", text, re.S):
            deps = re.search(r"\bDEPENDS\b(.*?)(?:\bPRIVATE\b|\bSOURCES\b|$)", call.group(2), re.S)
            out[call.group(1)] = set(re.findall(r"coinw::(\w+)", deps.group(1))) if deps else set()
        if cml.parent.name == "app":
            links = re.findall(r"target_link_libraries\(.*?\)", text, re.S)
            out["app"] = set(re.findall(r"coinw::(\w+)", " ".join(links)))
    return out


def documented():
    """{module: set of modules in its "may use" cell}, from ARCHITECTURE.md's table."""
    out = {}
    text = (ROOT / "ARCHITECTURE.md").read_text()
    section = text.split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not re.fullmatch(r"`\w+`", cells[0]):
            continue
        out[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[2]))
    return out


def main():
    built, doc = cmake_modules(), documented()
    problems = []
    for name in sorted(built.keys() | doc.keys()):
        if name not in doc:
            problems.append(f"module {name}: no row in ARCHITECTURE.md's module table")
        elif name not in built:
            problems.append(f"module {name}: in ARCHITECTURE.md but not built by any src/*/CMakeLists.txt")
        elif built[name] != doc[name]:
            problems.append(f"module {name}: ARCHITECTURE.md says it may use {sorted(doc[name])}, "
                            f"CMake links {sorted(built[name])}")
    for p in problems:
        print(p)
    if not problems:
        print(f"ARCHITECTURE.md's module table matches the build ({len(built)} modules)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
