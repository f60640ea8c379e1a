#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-boot.sh SMP MEM KERNEL APPEND [QEMU-OPTION...]: boot an x86_64
# kernel under QEMU, with SMP CPUs and MEM MiB, its console on stdout, no
# display and no default devices, until it powers off or panics (panic=-1
# reboots, and -no-reboot makes QEMU exit).  TCG unless KVM=1 (see
# harness/qemu/qemu-system-x86_64).  APPEND follows "console=ttyS0
# panic=-1" on the kernel command line; QEMU-OPTIONs (an -initrd, say) go
# to QEMU as they are.
#
# The harness's one QEMU command line: kunit-module.sh and make bench boot
# through it.  kunit.py builds its own, from its qemu_configs.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: qemu-boot.sh SMP MEM KERNEL APPEND [QEMU-OPTION...]" >&2; exit 2; }
smp=$1 mem=$2 kernel=$3 append=$4
shift 4
accel=tcg
[ "${KVM:-0}" = 1 ] && accel=kvm
exec qemu-system-x86_64 -nodefaults -display none -serial stdio \
	-monitor none -no-reboot -accel "$accel" -smp "$smp" -m "$mem" \
	-kernel "$kernel" -append "console=ttyS0 panic=-1 $append" "$@"
