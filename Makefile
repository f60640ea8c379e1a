# SPDX-License-Identifier: GPL-2.0
#
# kfree_batch: a patch series against Linux 7.3, and the harness that
# prepares, builds, tests and exports it.  `make help` lists the targets.
#
# Variables, as in kbuild:
#   O=     build folder (default: build/ in this checkout)
#   KSRC=  apply the series to your own clean kernel git tree instead
#   ARCH=  um or x86_64 for `make kunit` (default um)
#   JOBS=  parallel jobs (default: number of CPUs)
#   V=1    show the full output of every step
#   SIZE=  small (default) or large, for `make bench`
#   WORKLOAD= workloads for `make bench` (comma-separated) or `make bench-run`
#   ROUNDS= rounds of `make bench` (default: 3 for SIZE=small, 7 for large)
#   SEED=  the random order of the kernels in `make bench`'s rounds
#   K=     stock or patched, for `make bench-run`

O     ?= $(CURDIR)/build
ARCH  ?= um
JOBS  ?= $(shell nproc)
V     ?= 0
KSRC  ?=
M     ?=
PATCH ?=
SIZE  ?= small
WORKLOAD ?=
K     ?= patched
H     := $(CURDIR)/harness
export O ARCH JOBS V KSRC

.DEFAULT_GOAL := all
.PHONY: all help deps base prepare kunit kunit-debug kunit-rt kunit-lazy check series bench bench-run \
	$(CHECK_STEP_TARGETS) cocci-test convert convert-report convert-check clean distclean

## all: install what is missing, prepare the tree, then `make bench SIZE=small`:
##      stock 7.3 against kfree_batch, side by side, table and chart
all: deps prepare
	@python3 $(H)/bench.py all --size small

## bench: build stock and patched kernels, run every workload (WORKLOAD= some)
##      on both, SIZE=small|large rounds; table with intervals, CSV, PNG;
##      SIZE=large writes bench/RESULTS.md
bench: prepare
	@python3 $(H)/bench.py all --size $(SIZE) $(if $(WORKLOAD),--only $(WORKLOAD))

## bench-run: one boot of one workload on one kernel: K=stock|patched WORKLOAD=name
bench-run: prepare
	@python3 $(H)/bench.py run $(K) $(WORKLOAD) --size $(SIZE)

help:
	@echo "kfree_batch harness targets:"
	@sed -n 's/^## /  /p' $(firstword $(MAKEFILE_LIST))
	@echo "Variables: O= KSRC= ARCH=um|x86_64 JOBS= V=1"

## deps: install missing Debian packages (gcc, ccache, sparse, coccinelle, qemu)
deps:
	@$(H)/deps.sh

## base: fetch Debian's linux-source-7.3 (private apt config) into O/linux
base: deps
	@$(H)/base.sh

## prepare: commit the series onto the base (or a new branch of KSRC)
prepare: deps
	@$(H)/prepare.sh

## kunit: build and run the KUnit suite, ARCH=um or ARCH=x86_64 (-smp 4)
kunit: prepare
	@$(H)/kunit.sh $(ARCH) plain

## kunit-debug: the suite on x86_64 with lockdep, PROVE_RCU, KASAN, debug objects
kunit-debug: prepare
	@$(H)/kunit.sh x86_64 debug

## kunit-rt: the suite on an x86_64 PREEMPT_RT kernel
kunit-rt: prepare
	@$(H)/kunit.sh x86_64 rt

## kunit-lazy: the suite as a module, after boot, on x86_64 with lazy RCU, every CPU offloaded
kunit-lazy: prepare
	@$(H)/kunit-module.sh lazy

## check: every test and check; ends with "check: N passed, N failed"
check: deps
	@$(H)/check.sh

## Each step of `make check` is a target of the same name, which runs that
## step alone and reports it as `make check` does (MUTANTS="a b" for some
## mutants only):
##   bench-selftest  the benchmark's parser, statistics and goal rules
##   kunit-um, kunit-x86_64  the suite under UML / x86_64 QEMU -smp 4, 3 NUMA nodes
##   kunit-module    the kernel's slub_kunit as a module (busybox initramfs)
##   rcuscale, vmalloc  rcuscale's kfree test, test_vmalloc's kvfree_rcu() tests
##   mutants         break the engine on purpose; a named case must catch each
##   bisect          build the kernel at every commit of the series
##   sparse, w1      make C=2 / W=1 on every C file the series adds or patches
##   kerneldoc, htmldocs  kernel-doc -Wall on our files; the mm book with Sphinx
##   checkpatch, am  checkpatch --strict / git am of the exported series
##   cocci, cocci-tree  kfree_rcu.cocci on its test cases / on the whole tree
##   kunit-x86_64-debug, kunit-x86_64-rt, kunit-x86_64-lazy  the suite with
##                   lockdep+KASAN+debug objects / on PREEMPT_RT / lazy RCU
CHECK_STEP_TARGETS := bench-selftest kunit-um kunit-x86_64 kunit-module \
	rcuscale vmalloc mutants bisect sparse w1 kerneldoc htmldocs \
	checkpatch am cocci cocci-tree kunit-x86_64-debug kunit-x86_64-rt \
	kunit-x86_64-lazy
$(CHECK_STEP_TARGETS): deps
	@CHECK_STEPS=$@ $(H)/check.sh

## cocci-test: the same as `make cocci`
cocci-test: cocci

## series: git format-patch --cover-letter into O/series (O: the build folder)
series: prepare
	@$(H)/series-export.sh

## convert: M=<dir> convert call_rcu() free-only callbacks to kfree_rcu() in <dir>
convert: prepare
	@$(H)/convert.sh patch $(M)

## convert-report: run kfree_rcu.cocci in report mode over the whole tree
convert-report: prepare
	@$(H)/convert.sh report

## convert-check: [PATCH=<file>] compile every file a conversion (default: the series') changed (allmodconfig)
convert-check: prepare
	@$(H)/convert.sh check $(if $(PATCH),$(abspath $(PATCH)))

## clean: remove kernel builds and reports, keep the fetched base tree
clean:
	rm -rf $(O)/out $(O)/reports $(O)/series

## distclean: remove the whole build folder
distclean:
	rm -rf $(O)
