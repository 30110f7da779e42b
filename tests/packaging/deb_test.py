#!/usr/bin/env python3
"""Builds the Debian packages with `cpack -G DEB` from a configured build tree
and checks them: coinw-exporter for production (no simulator in it) and
coinw-sim apart; control fields (a real maintainer, every dependency a real,
installed Debian package, conffiles); every path each package ships, and
nothing else; the maintainer scripts, run for real by dpkg into a scratch root
(DPKG_ROOT): the unit enabled on install, an administrator's `disable` kept
across an upgrade, masked on remove, forgotten on purge with the state; and
the installed binaries and unit.

    deb_test.py BUILD_DIR
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

DOC = "./usr/share/doc/coinw-exporter/"
FILES = {
    "coinw-exporter": {
        "./usr/bin/coinw_exporter", "./usr/bin/coinw_healthcheck",
        "./etc/coinw-exporter/config.yml", "./etc/default/coinw-exporter",
        "./usr/lib/systemd/system/coinw-exporter.service",
        DOC + "copyright", DOC + "README.md", DOC + "CHANGELOG.md",
        # The README's links: docs/ beside it.
        *(DOC + "docs/" + f for f in ("alerting.md", "coinw-api.md", "configuration.md", "deployment.md",
                                      "operations.md", "performance.md", "runbook.md", "simulator.md")),
        *(DOC + "examples/" + f for f in ("alerts.yml", "alertmanager.yml", "example.yml", "prometheus.yml", "prometheus-ha.yml",
                                          "prometheus-sharded.yml", "coinw-affiliate.json", "coinw-exporter.json",
                                          "coinw-subaccounts.json")),
    },
    "coinw-sim": {"./usr/bin/coinw-sim", "./usr/share/doc/coinw-sim/copyright"},
}
BINARIES = {"./usr/bin/coinw_exporter", "./usr/bin/coinw_healthcheck", "./usr/bin/coinw-sim"}
# What dpkg-shlibdeps must find from the binaries' NEEDED entries.
DEPENDS = {
    "coinw-exporter": ["libc6", "libstdc++6", "libssl3", "libprometheus-cpp-core1.0", "libyaml-cpp0.7", "ca-certificates"],
    "coinw-sim": ["libc6", "libstdc++6", "libssl3"],
}
UNIT = "coinw-exporter.service"


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


def check_control(name, deb, problems):
    f = control_fields(run("dpkg-deb", "-f", deb))
    for key in ("Package", "Version", "Architecture", "Maintainer", "Description", "Depends", "Section",
                "Priority", "Installed-Size"):
        if not f.get(key):
            problems.append(f"{name} control: no {key}")
    if f.get("Architecture") != run("dpkg", "--print-architecture").strip():
        problems.append(f"{name} control: Architecture {f.get('Architecture')!r}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", f.get("Version", "")):
        problems.append(f"{name} control: Version {f.get('Version')!r}")
    maintainer = f.get("Maintainer", "")
    if not re.fullmatch(r"[^<>@]+ <[^<>@\s]+@[^<>\s]+\.[a-z]+>", maintainer) or "localhost" in maintainer:
        problems.append(f"{name} control: Maintainer {maintainer!r} is not 'Name <address>' with a real domain")
    summary, _, long_desc = f.get("Description", "").partition("\n")
    if not summary or len(summary) > 80 or not long_desc.strip():
        problems.append(f"{name} control: Description needs a summary of at most 80 characters and a long text")
    depends = [re.split(r"[\s(]", d.strip())[0] for d in f.get("Depends", "").split(",") if d.strip()]
    for d in DEPENDS[name]:
        if d not in depends:
            problems.append(f"{name} control: Depends lacks {d} (has {depends})")
    for d in depends:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", d], capture_output=True, text=True)
        if "install ok installed" not in status.stdout:
            problems.append(f"{name} control: dependency {d} is not an installed Debian package here")


def check_files(name, deb, problems):
    listing = run("dpkg-deb", "-c", deb).splitlines()
    files = {line.split()[-1] for line in listing if not line.startswith("d")}
    for p in sorted(FILES[name] - files):
        problems.append(f"{name} lacks {p}")
    for p in sorted(files - FILES[name]):
        problems.append(f"{name} ships {p}, which no one expects")
    for line in listing:
        path, mode = line.split()[-1], line.split()[0] + " " + line.split()[1]
        want = "-rwxr-xr-x root/root" if path in BINARIES else "-rw-r--r-- root/root" if not line.startswith("d") else None
        if want and mode != want:
            problems.append(f"{name}: {path} is {mode}, expected {want}")


def check_scripts(deb, problems):
    with tempfile.TemporaryDirectory() as control:
        run("dpkg-deb", "-e", deb, control)
        conffiles = pathlib.Path(control, "conffiles").read_text().split()
        if sorted(conffiles) != ["/etc/coinw-exporter/config.yml", "/etc/default/coinw-exporter"]:
            problems.append(f"conffiles: {conffiles}")
        for script in ("postinst", "prerm", "postrm"):
            path = pathlib.Path(control, script)
            if not path.exists() or not os.access(path, os.X_OK):
                problems.append(f"coinw-exporter has no executable {script}")
            elif subprocess.run(["sh", "-n", str(path)]).returncode != 0:
                problems.append(f"{script} is not valid sh")


def dpkg(root, *args):
    return subprocess.run(["dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless", "--log=/dev/null",
                           *args], capture_output=True, text=True)


def check_install(debs, tmp, problems):
    """Installed for real into a scratch root (dependencies are this machine's)."""
    root = tmp / "root"
    for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
        (root / d).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    wants = root / "etc/systemd/system/multi-user.target.wants" / UNIT
    mask = root / "etc/systemd/system" / UNIT
    res = dpkg(root, "-i", debs["coinw-exporter"], debs["coinw-sim"])
    if res.returncode != 0:
        problems.append(f"dpkg -i: {res.stderr.strip()}")
        return
    for name, files in FILES.items():
        listed = set(run("dpkg", f"--root={root}", "-L", name).split())
        for p in files:
            if p[1:] not in listed or not (root / p[2:]).is_file():
                problems.append(f"{name}: {p[1:]} is not installed")
    for binary in ("coinw_exporter", "coinw-sim"):
        res = subprocess.run([root / "usr/bin" / binary, "--help"], capture_output=True, text=True)
        if res.returncode != 0:
            problems.append(f"installed {binary} --help: exit {res.returncode}: {res.stderr}")
    res = subprocess.run([root / "usr/bin/coinw_healthcheck", "http://127.0.0.1:1/"], capture_output=True, text=True)
    if res.returncode != 1:  # runs, and fails for a port where nothing listens
        problems.append(f"installed coinw_healthcheck: exit {res.returncode}: {res.stderr}")
    unit = (root / "usr/lib/systemd/system" / UNIT).read_text()
    if not re.search(r"^ExecStart=/usr/bin/coinw_exporter .*\$ARGS$", unit, re.M):
        problems.append("unit: ExecStart does not run /usr/bin/coinw_exporter with $ARGS")
    if "--web.enable-lifecycle" in re.search(r"^ExecStart=.*$", unit, re.M).group(0):
        problems.append("unit: POST /-/reload must stay off (no --web.enable-lifecycle) on an unauthenticated port")
    if "EnvironmentFile=-/etc/default/coinw-exporter" not in unit or "/usr/local/" in unit:
        problems.append("unit: no EnvironmentFile=-/etc/default/coinw-exporter, or /usr/local paths left")
    if not re.search(r"^ARGS=", (root / "etc/default/coinw-exporter").read_text(), re.M):
        problems.append("/etc/default/coinw-exporter has no ARGS")

    # The maintainer scripts, as deb-systemd-helper keeps the state.
    if not (wants.is_symlink() and os.readlink(wants) == "/usr/lib/systemd/system/" + UNIT):
        problems.append("postinst: the unit is not enabled on first install")
    wants.unlink()  # what `systemctl disable` does
    res = dpkg(root, "-i", debs["coinw-exporter"])  # an upgrade (same version)
    if res.returncode != 0 or wants.is_symlink():
        problems.append(f"postinst: an upgrade must keep the administrator's disable ({res.stderr.strip()})")
    wants.symlink_to("/usr/lib/systemd/system/" + UNIT)  # `systemctl enable`
    state = root / "var/lib/private/coinw-exporter"
    state.mkdir(parents=True)
    (state / "account-main.json").write_text("{}")
    res = dpkg(root, "-r", "coinw-exporter")
    if res.returncode != 0 or not (mask.is_symlink() and os.readlink(mask) == "/dev/null"):
        problems.append(f"postrm remove: the unit is not masked ({res.stderr.strip()})")
    if not (root / "etc/coinw-exporter/config.yml").exists():
        problems.append("remove must keep the configuration (conffiles)")
    res = dpkg(root, "-P", "coinw-exporter")
    if res.returncode != 0 or mask.is_symlink() or wants.is_symlink():
        problems.append(f"postrm purge: the unit's mask or enablement is left ({res.stderr.strip()})")
    if state.exists() or (root / "etc/coinw-exporter/config.yml").exists():
        problems.append("purge must remove the state directory and the configuration")


def main(build_dir):
    problems = []
    with tempfile.TemporaryDirectory(prefix="coinw-deb-") as tmp:
        tmp = pathlib.Path(tmp)
        run("cpack", "-G", "DEB", "-B", str(tmp / "out"), cwd=build_dir)
        debs = {p.name.split("_")[0]: str(p) for p in (tmp / "out").glob("*.deb")}
        if sorted(debs) != sorted(FILES):
            print("FAIL expected the packages", sorted(FILES), "got", sorted(debs))
            return 1
        for name, deb in debs.items():
            check_control(name, deb, problems)
            check_files(name, deb, problems)
        check_scripts(debs["coinw-exporter"], problems)
        check_install(debs, tmp, problems)
    for p in problems:
        print("FAIL", p)
    print(f"{', '.join(sorted(debs))}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
