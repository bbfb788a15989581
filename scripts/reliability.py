#!/usr/bin/env python3
"""Writes RELIABILITY.md (issue 11) from the logs of the last test runs in a build directory.

    scripts/reliability.py [--build DIR] [--out FILE]

It reads what meson left behind, never runs a test itself, and says "not run" for a part whose
log is missing, so every figure in the file comes from a run:

  DIR/meson-logs/default.json     the default suites (scripts/test.sh: unit, lint, mount)
  DIR/sanitized/meson-logs/testlog.json   the same under ASan+UBSan (suite slow)
  DIR/valgrind/meson-logs/testlog.json    the mount tests under valgrind (suite valgrind)
  DIR/meson-logs/soak.json        the soak suite
  DIR/meson-logs/fuzz.json        the fuzz suite's bounded runs (scripts/fuzz.sh)
  fuzz/README.md                  the long local fuzz runs recorded there (10^6 each)

.ci/run calls it last, so a CI log ends with the figures of that run.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The tests that make the reliability promise, in the order the file shows them.
FOCUS = ["fault-matrix", "hostile", "hostile-input", "secrets", "access", "readers",
	 "consistency", "stale", "network", "lifecycle", "fuzz-found", "json-depth"]


def load(path):
	"""The tests of one meson log (one JSON object a line), by short name; None if absent."""
	if not os.path.exists(path):
		return None
	tests = {}
	with open(path, encoding="utf-8", errors="replace") as f:
		for line in f:
			line = line.strip()
			if not line:
				continue
			d = json.loads(line)
			name = d["name"].split(" / ")[-1]
			tests[name] = d
	return tests


def tap(stdout):
	"""(ok, not ok, skipped, plan) of a TAP output."""
	ok = bad = skip = 0
	plan = None
	for line in stdout.splitlines():
		if re.match(r"^1\.\.\d+", line):
			plan = int(line[3:].split()[0])
			if "# SKIP" in line and plan == 0:
				skip += 1
		elif line.startswith("ok "):
			if re.search(r"#\s*SKIP", line):
				skip += 1
			else:
				ok += 1
		elif line.startswith("not ok "):
			bad += 1
	return ok, bad, skip, plan


def when(tests):
	starts = [d.get("starttime") for d in tests.values() if d.get("starttime")]
	if not starts:
		return "?"
	t = datetime.datetime.fromtimestamp(min(starts), datetime.timezone.utc)
	return t.strftime("%Y-%m-%d %H:%M UTC")


def suite_summary(tests):
	"""One line: tests by result, subtests, minutes."""
	by = {}
	for d in tests.values():
		by[d["result"]] = by.get(d["result"], 0) + 1
	ok = bad = skip = 0
	for d in tests.values():
		o, b, s, _ = tap(d.get("stdout") or "")
		ok, bad, skip = ok + o, bad + b, skip + s
	secs = sum(d.get("duration", 0) for d in tests.values())
	results = ", ".join(f"{n} {r}" for r, n in sorted(by.items()))
	return (f"{len(tests)} tests ({results}); {ok} subtests passed, {bad} failed, "
		f"{skip} skipped; {secs / 60:.1f} min of test time; started {when(tests)}")


def focus_table(runs, out):
	out.append("| test | " + " | ".join(name for name, _ in runs) + " |")
	out.append("|---|" + "---|" * len(runs))
	for t in FOCUS:
		cells = []
		seen = False
		for _, tests in runs:
			d = tests.get(t) if tests else None
			if d is None:
				cells.append("not run")
				continue
			seen = True
			o, b, s, _ = tap(d.get("stdout") or "")
			cells.append(f"{d['result']}: {o} ok, {b} failed, {s} skipped, "
				     f"{d.get('duration', 0):.0f} s")
		if seen:
			out.append(f"| {t} | " + " | ".join(cells) + " |")


def fault_section(tests, out):
	d = tests.get("fault-matrix") if tests else None
	if d is None:
		out.append("The fault matrix did not run in this build.\n")
		return
	faults = {}
	order = []
	results = {}
	for line in (d.get("stdout") or "").splitlines():
		m = re.match(r"^# ([\w.-]+): (.*)$", line)
		if m:
			name, rest = m.groups()
			if name not in faults:
				faults[name] = {"batch": [0, 0, 0]}
				order.append(name)
			f = faults[name]
			for op in ("cold listing", "field write", "action", ".create"):
				if rest.startswith(op + ": "):
					f[op] = rest[len(op) + 2:]
			b = re.match(r"batch reboot of \S+: (.*), (applied|not applied), (\d+) on", rest)
			if b:
				f["batch"][0] += 1
				f["batch"][1] += b.group(2) == "applied"
				f["batch"][2] += int(b.group(3))
			r = re.match(r"serving normally ([\d.]+) s", rest)
			if r:
				f["recovered"] = r.group(1) + " s"
			s = re.match(r"slowest syscall ([\d.]+) s \((.*)\)", rest)
			if s:
				f["slowest"] = f"{s.group(1)} s ({s.group(2)})"
		m = re.match(r"^(not ok|ok) \d+ /fault-matrix/(\S+)", line)
		if m:
			results[m.group(2)] = m.group(1)
	o, b, _, _ = tap(d.get("stdout") or "")
	cells = sum(1 for f in faults.values() for k in ("cold listing", "field write",
								  "action", ".create") if k in f)
	cells += sum(f["batch"][0] for f in faults.values())
	out.append(f"{len(order)} faults, {cells} operation cells, {o} faults passed and {b} "
		   f"failed (`tests/test-fault-matrix.c`, default build, {d['duration']:.0f} s). "
		   "A write's cell is what its writer got from write(), whether the emulator "
		   "applied it, and how many requests reached the emulator: at most one each.\n")
	out.append("| fault | result | cold listing | field write | action | .create | "
		   "batch of reboots (applied/sent) | slowest syscall | serving again after |")
	out.append("|---|---|---|---|---|---|---|---|---|")
	for name in order:
		f = faults[name]
		batch = f["batch"]
		out.append(f"| {name} | {results.get(name, '?')} | {f.get('cold listing', '-')} | "
			   f"{f.get('field write', '-')} | {f.get('action', '-')} | "
			   f"{f.get('.create', '-')} | {batch[1]} of {batch[0]} / {batch[2]} | "
			   f"{f.get('slowest', '-')} | {f.get('recovered', '-')} |")
	out.append("")


def comments_of(d, skip=("random seed", "Start of", "End of")):
	lines = []
	for line in (d.get("stdout") or "").splitlines():
		if line.startswith("# ") and not any(line[2:].startswith(s) for s in skip):
			lines.append(line[2:])
		elif line.startswith(("ok ", "not ok ")):
			lines.append(line)
	return lines


def hostile_section(tests, out):
	for t, what in (("hostile", "Hostile tenant (`wks-emulator --hostile-tenant`, "
			     "`tests/test-hostile.c`)"),
			("hostile-input", "Hostile local input (`tests/test-hostile-input.c`)")):
		d = tests.get(t) if tests else None
		if d is None:
			out.append(f"{what}: not run in this build.\n")
			continue
		out.append(f"{what}: {d['result']} in {d['duration']:.1f} s.\n")
		out.append("```")
		out.extend(comments_of(d))
		out.append("```\n")


def fuzz_section(tests, out):
	readme = os.path.join(SRC, "fuzz", "README.md")
	recorded = []
	with open(readme, encoding="utf-8") as f:
		text = f.read()
	part = text.split("## Runs recorded", 1)
	if len(part) == 2:
		recorded = [l for l in part[1].splitlines() if l.startswith("|")]
	if recorded:
		out.append("Long local runs, as recorded in `fuzz/README.md` (`scripts/fuzz.sh "
			   "--runs 1000000`, one target at a time):\n")
		out.extend(recorded)
		out.append("")
	d = tests.get("fuzz") if tests else None
	if d is None:
		out.append("The bounded fuzz suite (`meson test --suite fuzz`) did not run in this "
			   "build.\n")
		return
	out.append(f"This run's bounded fuzz suite (30 s a target, {d['result']}):\n")
	out.append("| target | executions | finding |")
	out.append("|---|---|---|")
	for line in (d.get("stdout") or "").splitlines():
		m = re.match(r"^(ok|not ok) \d+ - (\w+): (\d+) executions, (.*)$", line)
		if m:
			out.append(f"| {m.group(2)} | {int(m.group(3)):,} | {m.group(4)} |")
	out.append("")


def soak_section(tests, out):
	d = tests.get("soak") if tests else None
	if d is None:
		out.append("The soak suite (`meson test --suite soak`) did not run in this build.\n")
		return
	out.append(f"{d['result']} in {d['duration'] / 60:.1f} min (`tests/test-soak.c`):\n")
	out.append("```")
	out.extend(comments_of(d))
	out.append("```\n")


def memcheck_section(tests, out):
	if tests is None:
		out.append("The valgrind suite (`meson test --suite valgrind`) did not run in this "
			   "build.\n")
		return
	out.append(suite_summary(tests) + ".\n")
	out.append("| test | result | subtests ok | valgrind |")
	out.append("|---|---|---|---|")
	for name, d in sorted(tests.items()):
		o, b, s, _ = tap(d.get("stdout") or "")
		vg = [l[2:] for l in (d.get("stdout") or "").splitlines()
		      if l.startswith("# valgrind")]
		out.append(f"| {name} | {d['result']} | {o} ({b} failed, {s} skipped) | "
			   f"{'; '.join(vg[-2:]) or '-'} |")
	out.append("")


def git(*args):
	try:
		return subprocess.run(["git", "-C", SRC] + list(args), capture_output=True,
				      text=True, check=True).stdout.strip()
	except (OSError, subprocess.CalledProcessError):
		return "unknown"


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--build", default=os.path.join(SRC, "build"))
	ap.add_argument("--out", default=os.path.join(SRC, "RELIABILITY.md"))
	a = ap.parse_args()
	logs = os.path.join(a.build, "meson-logs")
	default = load(os.path.join(logs, "default.json"))
	if default is None:
		default = load(os.path.join(logs, "testlog.json"))
	asan = load(os.path.join(a.build, "sanitized", "meson-logs", "testlog.json"))
	vg = load(os.path.join(a.build, "valgrind", "meson-logs", "testlog.json"))
	fuzz = load(os.path.join(logs, "fuzz.json"))
	soak = load(os.path.join(logs, "soak.json"))
	if not any((default, asan, vg, fuzz, soak)):
		sys.exit(f"reliability.py: no test logs in {a.build}: run scripts/test.sh first")

	dirty = " (with uncommitted changes)" if git("status", "--porcelain", "-uno") else ""
	out = ["# Reliability", "",
	       f"Written by `scripts/reliability.py` on "
	       f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC from the "
	       f"test logs of `{os.path.relpath(a.build, SRC)}/`, commit "
	       f"`{git('rev-parse', '--short=12', 'HEAD')}`{dirty}, on {os.cpu_count()} cores, "
	       f"kernel {os.uname().release}. Every figure is from those logs; a part marked "
	       "\"not run\" had no log. What each suite does: README.md, section Tests.", "",
	       "## Suites", ""]
	for name, tests in (("Default (unit, lint, mount)", default), ("ASan + UBSan", asan),
			    ("valgrind memcheck", vg), ("soak", soak), ("fuzz", fuzz)):
		out.append(f"- {name}: " + (suite_summary(tests) if tests else "not run") + ".")
	out += ["", "## The reliability tests in each build", ""]
	focus_table([("default", default), ("ASan + UBSan", asan), ("valgrind", vg)], out)
	out += ["", "## Faults injected and survived", ""]
	fault_section(default, out)
	out += ["## Hostile inputs tried", ""]
	hostile_section(default, out)
	out += ["## Fuzzing", ""]
	fuzz_section(fuzz, out)
	out += ["## Memory: valgrind", ""]
	memcheck_section(vg, out)
	out += ["## Soak", ""]
	soak_section(soak, out)
	with open(a.out + ".tmp", "w", encoding="utf-8") as f:
		f.write("\n".join(out).rstrip() + "\n")
	os.replace(a.out + ".tmp", a.out)
	print(f"wrote {a.out}")


if __name__ == "__main__":
	main()
