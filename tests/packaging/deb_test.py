#!/usr/bin/env python3
"""Builds the Debian package with `cpack -G DEB` from a configured build tree
and checks it: control fields (every dependency a real, installed Debian
package; conffiles), the file list, and an install with dpkg into a scratch
root where the binaries run and the unit points at them.

    deb_test.py BUILD_DIR
"""
import pathlib
import re
import subprocess
import sys
import tempfile

EXPECTED_FILES = [
    "./usr/bin/coinw_exporter", "./usr/bin/coinw-sim", "./usr/bin/coinw_healthcheck",
    "./etc/coinw-exporter/config.yml", "./etc/default/coinw-exporter",
    "./usr/lib/systemd/system/coinw-exporter.service",
    "./usr/share/doc/coinw-exporter/copyright", "./usr/share/doc/coinw-exporter/README.md",
    "./usr/share/doc/coinw-exporter/runbook.md", "./usr/share/doc/coinw-exporter/CHANGELOG.md",
    "./usr/share/doc/coinw-exporter/examples/alerts.yml", "./usr/share/doc/coinw-exporter/examples/alertmanager.yml",
]
# What dpkg-shlibdeps must find from the binaries' NEEDED entries.
EXPECTED_DEPENDS = ["libc6", "libstdc++6", "libssl3", "libprometheus-cpp-core1.0", "libyaml-cpp0.7",
                    "ca-certificates"]


def run(*argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw).stdout


def control_fields(text):
    fields, key = {}, None
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def main(build_dir):
    problems = []
    with tempfile.TemporaryDirectory(prefix="coinw-deb-") as tmp:
        tmp = pathlib.Path(tmp)
        run("cpack", "-G", "DEB", "-B", str(tmp / "out"),
            cwd=build_dir)
        debs = list((tmp / "out").glob("*.deb"))
        if len(debs) != 1:
            print("FAIL expected one .deb, got", debs)
            return 1
        deb = str(debs[0])

        control = run("dpkg-deb", "-f", deb)
        f = control_fields(control)
        for key in ("Package", "Version", "Architecture", "Maintainer", "Description", "Depends", "Section",
                    "Priority", "Installed-Size"):
            if not f.get(key):
                problems.append(f"control: no {key}")
        if f.get("Package") != "coinw-exporter":
            problems.append(f"control: Package {f.get('Package')!r}")
        if f.get("Architecture") != run("dpkg", "--print-architecture").strip():
            problems.append(f"control: Architecture {f.get('Architecture')!r}")
        if not re.fullmatch(r"\d+\.\d+\.\d+", f.get("Version", "")):
            problems.append(f"control: Version {f.get('Version')!r}")
        if not re.fullmatch(r".+ <[^<>@\s]+@[^<>\s]+>", f.get("Maintainer", "")):
            problems.append(f"control: Maintainer {f.get('Maintainer')!r} is not 'Name <address>'")
        summary, _, long_desc = f.get("Description", "").partition("\n")
        if not summary or len(summary) > 80 or not long_desc.strip():
            problems.append("control: Description needs a summary of at most 80 characters and a long text")
        depends = [re.split(r"[\s(]", d.strip())[0] for d in f.get("Depends", "").split(",") if d.strip()]
        for d in EXPECTED_DEPENDS:
            if d not in depends:
                problems.append(f"control: Depends lacks {d} (has {depends})")
        for d in depends:
            status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", d], capture_output=True, text=True)
            if "install ok installed" not in status.stdout:
                problems.append(f"control: dependency {d} is not an installed Debian package here")
        conffiles = run("dpkg-deb", "-I", deb, "conffiles").split()
        if sorted(conffiles) != ["/etc/coinw-exporter/config.yml", "/etc/default/coinw-exporter"]:
            problems.append(f"conffiles: {conffiles}")

        listing = run("dpkg-deb", "-c", deb)
        paths = {line.split()[-1] for line in listing.splitlines()}
        for p in EXPECTED_FILES:
            if p not in paths:
                problems.append(f"package lacks {p}")
        for line in listing.splitlines():
            if line.split()[-1] in EXPECTED_FILES[:3] and not line.startswith("-rwxr-xr-x root/root"):
                problems.append(f"binary not 0755 root: {line}")

        # Installed for real, into a scratch root (dependencies are this machine's).
        root = tmp / "root"
        for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
            (root / d).mkdir(parents=True)
        (root / "var/lib/dpkg/status").touch()
        run("dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless", "--log=/dev/null",
            "-i", deb)
        listed = run("dpkg", f"--root={root}", "-L", "coinw-exporter")
        if "/usr/bin/coinw_exporter" not in listed:
            problems.append("dpkg -L does not list /usr/bin/coinw_exporter")
        for binary in ("coinw_exporter", "coinw-sim"):
            res = subprocess.run([root / "usr/bin" / binary, "--help"], capture_output=True, text=True)
            if res.returncode != 0:
                problems.append(f"installed {binary} --help: exit {res.returncode}: {res.stderr}")
        unit = (root / "usr/lib/systemd/system/coinw-exporter.service").read_text()
        if not re.search(r"^ExecStart=/usr/bin/coinw_exporter .*\$ARGS$", unit, re.M):
            problems.append("unit: ExecStart does not run /usr/bin/coinw_exporter with $ARGS")
        if "EnvironmentFile=-/etc/default/coinw-exporter" not in unit or "/usr/local/" in unit:
            problems.append("unit: no EnvironmentFile=-/etc/default/coinw-exporter, or /usr/local paths left")
        if not re.search(r'^ARGS=', (root / "etc/default/coinw-exporter").read_text(), re.M):
            problems.append("/etc/default/coinw-exporter has no ARGS")

    for p in problems:
        print("FAIL", p)
    print(f"{deb.rsplit('/', 1)[-1]}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
