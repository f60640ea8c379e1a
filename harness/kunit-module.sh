#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-module.sh [VARIANT]: a KUnit suite as a module, loaded once the
# kernel has booted.  Boots the x86_64 KUnit kernel of `kunit.sh x86_64
# VARIANT` under QEMU -smp 4 with an initramfs in which busybox loads the
# module (its suite runs at load), unloads it, and reboots (QEMU runs with
# -no-reboot, so it exits).
#   plain  the kernel's slub_kunit (harness/kunit/slab-module.kunitconfig):
#          built in, it skips test_kfree_rcu and test_kfree_rcu_wq_destroy;
#          as a module they run.  Writes $O/reports/kunit-x86_64-module.*
#   lazy   our suite, on the kernel with lazy RCU callbacks and every CPU
#          offloaded (rcu_nocbs=all).  RCU keeps callbacks lazy only once
#          the kernel has booted (rcu_end_inkernel_boot()), after built-in
#          suites have run: hence a module.  Its case count is checked
#          against harness/kunit/expected.  Writes $O/reports/kunit-x86_64-lazy.*
# The result file holds "passed failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:-plain}
case "$variant" in
plain) mod=slub_kunit glob=slub_test name=kunit-x86_64-module args="" ;;
lazy) mod=kfree_batch_kunit glob=kfree_batch name=kunit-x86_64-lazy
      args="rcu_nocbs=all" ;;
*) die "kunit-module.sh: unknown variant $variant (plain, lazy)" ;;
esac
# KUNIT_FILTER narrows the suite (a kunit.filter_glob); the case count is
# then not checked.
glob=${KUNIT_FILTER:-$glob}
tree=$(kfb_tree)
out=$(kfb_out "kunit-x86_64-$variant")
rep=$O/reports
log=$rep/$name.log
raw=$rep/$name.console
json=$rep/$name.json
mkdir -p "$rep"
: > "$log"
rm -f "$json"
echo "1 1" > "$rep/$name.result"
export PATH=$KFB_ROOT/harness/qemu:$PATH

echo "  KUNIT   x86_64 $variant: module $mod (log: $log)"
# A no-op when `kunit.sh x86_64 $variant` has just built the kernel.
KUNIT_BUILD_ONLY=1 "$KFB_ROOT/harness/kunit.sh" x86_64 "$variant" >> "$log" 2>&1 ||
	{ tail -n 30 "$log"; die "kernel build failed (log: $log)"; }
ko=$out/lib/tests/$mod.ko
[ -f "$ko" ] || die "$ko not built (log: $log)"

# The initramfs, made with the kernel's own usr/gen_init_cpio: init loads
# the module (its suite runs at load), unloads it, and reboots.
ird=$out/kunit-module
mkdir -p "$ird"
cat > "$ird/init" <<EOS
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "kunit-module: insmod $mod"
/bin/busybox insmod /$mod.ko || echo "kunit-module: insmod $mod failed"
/bin/busybox rmmod $mod || echo "kunit-module: rmmod $mod failed"
echo "kunit-module: done"
/bin/busybox reboot -f
EOS
cat > "$ird/list" <<EOS
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /bin 0755 0 0
file /bin/busybox /bin/busybox 0755 0 0
file /init $ird/init 0755 0 0
file /$mod.ko $ko 0644 0 0
EOS
"$out/usr/gen_init_cpio" "$ird/list" | gzip -1 > "$ird/initramfs.cpio.gz"

# kunit.filter_glob keeps the built-in suites from running again.
run timeout 1200 "$KFB_ROOT/harness/qemu-boot.sh" 4 2048 \
	"$out/arch/x86/boot/bzImage" \
	"kunit.enable=1 kunit.filter_glob=$glob $args" \
	-bios qboot.rom -initrd "$ird/initramfs.cpio.gz" \
	> "$raw" 2>&1 < /dev/null || true

# The module's own KTAP document, from its insmod on.
tr -d '\r' < "$raw" | sed -n "/kunit-module: insmod $mod/,\$p" > "$raw.module"
(cd "$tree" && python3 tools/testing/kunit/kunit.py parse --json="$json" "$raw.module") >> "$log" 2>&1 || true
read -r passed failed <<<"$(kunit_counts "$log")"
grep -E '^\[..:..:..\] +(\[|=)' "$log" | grep -vE '\[PASSED\]' || true

if [ "$variant" = plain ]; then
	# The cases that only run as a module must have passed, not skipped.
	for t in test_kfree_rcu test_kfree_rcu_wq_destroy; do
		if ! grep -qE "ok [0-9]+ $t\$" "$raw.module" ||
		   grep -qE "(not ok [0-9]+ $t|ok [0-9]+ $t # SKIP)" "$raw.module"; then
			echo "  KUNIT   x86_64 module: $t did not pass"
			failed=$((failed + 1))
		fi
	done
else
	# Every case, failed or skipped by name, and the count of cases.
	expected=$KFB_ROOT/harness/kunit/expected
	[ -n "${KUNIT_FILTER:-}" ] && expected=-
	python3 "$KFB_ROOT/harness/kunit-result.py" "$json" "x86_64-$variant" \
		"$expected" > "$rep/$name.cases" || true
	sed '$d' "$rep/$name.cases"
	read -r _ f2 <<<"$(tail -n 1 "$rep/$name.cases")"
	[ "${f2:-1}" -gt 0 ] && failed=$((failed > f2 ? failed : f2))
fi
for w in "rmmod $mod failed" "insmod $mod failed"; do
	grep -q "kunit-module: $w" "$raw" && { echo "  KUNIT   x86_64 module: $w"; failed=$((failed + 1)); }
done
grep -q "kunit-module: done" "$raw" || { echo "  KUNIT   x86_64 module: init did not finish (console: $raw)"; failed=$((failed + 1)); }
if ! kunit_splats "$raw" > "$raw.splats"; then
	echo "  KUNIT   x86_64 $variant: kernel splat(s), or no console log ($raw):"
	head -40 "$raw.splats"
	failed=$((failed + 1))
fi
[ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && { echo "  KUNIT   x86_64 $variant: no test ran"; failed=1; }
echo "$passed $failed" > "$rep/$name.result"
echo "  KUNIT   x86_64 $variant: module $mod: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
