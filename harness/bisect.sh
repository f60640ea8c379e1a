#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the kernel at every commit of the series, so that the series is
# bisectable.  The config is the x86_64 KUnit one (our suite enabled where
# it exists); ccache makes the builds after the first one incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
[ -z "${KSRC:-}" ] || die "make bisect works on the prepared Debian tree only"
out=$(kfb_out bisect-x86_64)
src_cfg=$(kfb_out kunit-x86_64-plain)/.config
mkdir -p "$out" "$O/reports"
log=$O/reports/bisect.log
: > "$log"
cd "$tree"
commits=$(git rev-list --reverse base..kfree_batch)
n=$(wc -w <<<"$commits")
i=0 fails=0
trap 'git checkout -q kfree_batch' EXIT
for c in $commits; do
	i=$((i + 1))
	git checkout -q "$c"
	if [ -f "$src_cfg" ]; then cp "$src_cfg" "$out/.config"; else
		make -s O="$out" ARCH=x86_64 defconfig >/dev/null; fi
	scripts/config --file "$out/.config" -e MODULES -m KFREE_BATCH_KUNIT_TEST
	rm -f "$out/lib/tests/kfree_batch_kunit.ko"
	echo "  BISECT  $i/$n $(git log -1 --format=%s "$c")"
	if ! { run make -s O="$out" ARCH=x86_64 CC="$KFB_CC" olddefconfig &&
	       run make -s O="$out" ARCH=x86_64 CC="$KFB_CC" -j"$JOBS"; } >>"$log" 2>&1; then
		echo "  BISECT  commit $i does not build (log: $log)"
		tail -20 "$log"
		fails=$((fails + 1))
	elif git cat-file -e "$c:lib/tests/kfree_batch_kunit.c" 2>/dev/null &&
	     [ ! -f "$out/lib/tests/kfree_batch_kunit.ko" ]; then
		echo "  BISECT  commit $i: lib/tests/kfree_batch_kunit.ko not built"
		fails=$((fails + 1))
	fi
done
echo "$((n - fails)) $fails" > "$O/reports/bisect.result"
[ "$fails" -eq 0 ]
