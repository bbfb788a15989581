#!/bin/sh
# The valgrind suite (meson suite `valgrind`, not default): mount tests again with every wksfs
# daemon the harness starts run under memcheck (WKSFS_WRAPPER; the emulator and the tests
# themselves run natively). harness_stop() reads each daemon's log: any error or a block
# definitely lost fails the test, and a TAP comment "# valgrind: errors=N definitely_lost=B
# bytes ..." says what each daemon showed. Time bounds are multiplied by 20 (WKSFS_VALGRIND,
# harness_slowdown()). A debug build of its own (readable stacks), the normal one untouched.
#
# Tests: TESTS below, chosen to fit ~20 minutes on 2 cores: the fault matrix, hostile tenant
# and hostile input of issue 11, and the lifecycle (exit paths, where leaks hide); the whole
# mount suite takes about 40 minutes under valgrind. The other mount tests can be run with
# `tests/valgrind.sh SRC DIR test...`. Then the unit suite (about 40 s), each test program
# itself under memcheck (meson's --wrapper; valgrind's exit status 99 fails it), but
# sdk-client, a shell script running Node.js, none of our code.
#
# Results: DIR/valgrind-results.txt, one logfmt line per test (test, result, daemons checked,
# errors, definitely_lost bytes, seconds; a unit test's errors are in its log, its result
# says whether there were any); DIR/valgrind-daemons.txt one line per daemon.
set -eu
src=${1:?source directory}
dir=${2:?build directory}
shift 2
TESTS=${*:-"fault-matrix hostile hostile-input lifecycle"}

if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$src" -Dbuildtype=debug >/dev/null
fi
ninja -C "$dir" >/dev/null
dir=$(cd "$dir" && pwd)
WKSFS_VALGRIND=1
WKSFS_WRAPPER="valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no \
--trace-children=no --child-silent-after-fork=yes --num-callers=30 \
--suppressions=$src/tests/valgrind.supp"
WKSFS_VALGRIND_RESULTS=$dir/valgrind-daemons.txt
export WKSFS_VALGRIND WKSFS_WRAPPER WKSFS_VALGRIND_RESULTS
rm -f "$WKSFS_VALGRIND_RESULTS" "$dir/valgrind-results.txt" \
	"$dir/meson-logs/unit-valgrind.json"
rc=0
# shellcheck disable=SC2086
meson test -C "$dir" --print-errorlogs --timeout-multiplier 4 --no-rebuild $TESTS || rc=$?
if [ -z "${*:-}" ]; then
	units=$(meson test -C "$dir" --list --no-rebuild --suite unit | sed 's|.* / ||' |
		grep -vx sdk-client)
	# shellcheck disable=SC2086
	meson test -C "$dir" --print-errorlogs --timeout-multiplier 10 --no-rebuild \
		--logbase unit --wrapper "valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite --show-leak-kinds=definite \
--suppressions=$src/tests/valgrind.supp" $units || rc=$?
fi
python3 - "$dir" <<'PY'
import json, os, re, sys
d = sys.argv[1]
daemons = {}
try:
	with open(os.path.join(d, "valgrind-daemons.txt")) as f:
		for line in f:
			kv = dict(re.findall(r'(\w+)=(\S+)', line))
			t = daemons.setdefault(kv["test"].removeprefix("test-"), [0, 0, 0])
			t[0] += 1
			t[1] += int(kv["errors"])
			t[2] += int(kv["definitely_lost"])
except FileNotFoundError:
	pass
out = []
for log in ("testlog.json", "unit-valgrind.json"):	# meson adds the wrapper name
	try:
		f = open(os.path.join(d, "meson-logs", log))
	except FileNotFoundError:
		continue
	for line in f:
		r = json.loads(line)
		name = r["name"].split(" / ")[-1]
		n, e, l = daemons.get(name, [0, 0, 0])
		out.append(f"test={name} result={r['result']} daemons={n} errors={e} "
			   f"definitely_lost={l} seconds={r['duration']:.1f}\n")
	f.close()
with open(os.path.join(d, "valgrind-results.txt"), "w") as f:
	f.writelines(out)
sys.stdout.writelines(out)
PY
exit $rc
