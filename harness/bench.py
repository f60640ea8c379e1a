#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare kfree_batch with stock 7.3: the same workloads on two kernels.

Two kernels from the same base and the same config (bench/bench.config on
top of allnoconfig, plus bench/rt.config for the PREEMPT_RT pair and
bench/stats.config for the CONFIG_SLUB_STATS pair):

    stock    base 7.3 + the benchmark's own commit (bench/series)
    patched  the kfree_batch series + the same commit

Each run boots one kernel under QEMU (-smp 4, TCG unless KVM=1) with no
root file system; lib/kfree_rcu_bench.c or rcuscale runs the workload at
boot and the kernel powers off.  Rounds alternate stock, patched, stock,
patched ... and the table gives per metric the median on each kernel, the
ratio of the medians (patched/stock) and the min and max of the per-round
ratios.

Commands:
    bench.py all [--size small|large] [--only W,W]
    bench.py build stock|patched [--rt|--stats]
    bench.py run stock|patched WORKLOAD [--size S]     one boot, its figures
    bench.py table [--size S]                         print the last table
"""

import csv
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import splats  # noqa: E402  (the harness's own module, beside this file)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series as kseries  # noqa: E402

ROOT = kseries.ROOT
O = os.environ.get('O') or os.path.join(ROOT, 'build')
if not os.path.isabs(O):
    O = os.path.join(ROOT, O)
BENCH = os.path.join(O, 'bench')
TREE = os.path.join(O, 'linux')
JOBS = os.environ.get('JOBS') or str(os.cpu_count())
V = os.environ.get('V', '0') == '1'
KVM = os.environ.get('KVM', '0') == '1'

# Where each kernel starts: a rev of the prepared tree O/linux.
ONTO = {'stock': 'base', 'patched': 'kfree_batch'}

SIZES = {
    'small': dict(rounds=3, objs=50000, destroy_rounds=50, sparse_objs=150,
                  sparse_gap_us=10000, timeout_ms=10000,
                  rcu_alloc=8000, rcu_loops=10, mem_alloc=20000,
                  mem_loops=40, vmalloc_loops=20000),
    'large': dict(rounds=7, objs=400000, destroy_rounds=300,
                  sparse_objs=1000, sparse_gap_us=5000, timeout_ms=20000,
                  rcu_alloc=16000, rcu_loops=40, mem_alloc=50000,
                  mem_loops=200, vmalloc_loops=200000),
}

def rcuscale(extra, alloc='{rcu_alloc}', loops='{rcu_loops}'):
    """rcuscale's kfree test (built in; it powers off when done), 4 threads."""
    return ('rcuscale.kfree_rcu_test=1 rcuscale.kfree_nthreads=4 %s'
            'rcuscale.kfree_alloc_num=%s rcuscale.kfree_loops=%s '
            'kfree_rcu_bench.workload=hold' % (extra, alloc, loops))


def bench(workload, params=''):
    """A workload of lib/kfree_rcu_bench.c."""
    return 'kfree_rcu_bench.workload=%s %s' % (workload, params)


# name: (flavour, memory MB, kernel command line from the size's params)
WORKLOADS = {
    'rcuscale': ('plain', 1024, rcuscale('')),
    'mixed': ('plain', 1024, bench('mixed', 'kfree_rcu_bench.objs={objs}')),
    'enqueue': ('plain', 1024,
                bench('enqueue', 'kfree_rcu_bench.objs={objs}')),
    'destroy': ('plain', 1024,
                bench('destroy', 'kfree_rcu_bench.rounds={destroy_rounds}')),
    'sparse': ('plain', 1024, 'init_on_free=1 ' + bench(
        'sparse', 'kfree_rcu_bench.sparse_objs={sparse_objs} '
        'kfree_rcu_bench.sparse_gap_us={sparse_gap_us} '
        'kfree_rcu_bench.timeout_ms={timeout_ms}')),
    'smallmem': ('plain', 512, rcuscale('rcuscale.kfree_mult=2 ',
                                        '{mem_alloc}', '{mem_loops}')),
    'idle': ('plain', 1024, 'init_on_free=1 ' +
             bench('idle', 'kfree_rcu_bench.timeout_ms={timeout_ms}')),
    'mixed-rt': ('rt', 1024, bench('mixed', 'kfree_rcu_bench.objs={objs}')),
    # Not in the default set: mixed, also timing allocations and
    # kfree_rcu() calls apart (the clock reads slow the flood down).
    'mixed-timed': ('plain', 1024, bench(
        'mixed', 'kfree_rcu_bench.objs={objs} kfree_rcu_bench.timed=1')),
    # Not in the default set: where objects went, from SLUB's counters
    # (CONFIG_SLUB_STATS, its own pair of kernels): objects freed to slabs
    # and taken back from slabs per 1000 allocated, full sheaves put in a
    # barn.
    'rcuscale-stats': ('stats', 1024, rcuscale('')),
    'mixed-stats': ('stats', 1024,
                    bench('mixed', 'kfree_rcu_bench.objs={objs}')),
    # Not in the table: make check runs them on the patched kernel.
    'rcuscale-single': ('plain', 1024,
                        rcuscale('rcuscale.kfree_rcu_test_single=1 ')),
    'rcuscale-double': ('plain', 1024,
                        rcuscale('rcuscale.kfree_rcu_test_double=1 ')),
    # lib/test_vmalloc.c's kvfree_rcu() cases (built in, a late initcall).
    'vmalloc': ('plain', 1024, 'test_vmalloc.run_test_mask=768 '
                'test_vmalloc.nr_threads=4 '
                'test_vmalloc.test_loop_count={vmalloc_loops} ' +
                bench('barrier')),
}
TABLE_WORKLOADS = [w for w in WORKLOADS
                   if not w.startswith('rcuscale-') and
                   not w.endswith('-stats') and
                   w not in ('vmalloc', 'mixed-timed')]
# SIZE=small (what `make` runs) leaves out the PREEMPT_RT pair of kernels:
# two more kernel builds would double its time on a fresh machine.
SMALL_WORKLOADS = [w for w in TABLE_WORKLOADS if not w.endswith('-rt')]

# metric: (goal as "<= x" or ">= x" on the ratio, or "patched = 0", or
# "" for figures reported without a goal), one line of explanation.
METRICS = [
    ('rcuscale_time_ms', '<= 1.0', 'rcuscale kfree test: total time'),
    ('rcuscale_gps', '<= 1.0', 'rcuscale kfree test: grace periods'),
    ('rcuscale_peak_kb', '<= 1.0',
     'rcuscale kfree test: peak pages holding objects, over settled'),
    ('rcuscale_mem_mb', '',
     "rcuscale kfree test: its own footprint (start minus a running mean)"),
    ('mixed_time_ms', '', 'mixed caches: flood + kvfree_rcu_barrier()'),
    ('mixed_barrier_ms', '',
     'mixed caches: the kvfree_rcu_barrier() after the flood'),
    ('mixed_flood_cpu_ns_per_obj', '',
     'mixed caches: CPU time of the flooders per object'),
    ('mixed_gps', '', 'mixed caches: grace periods'),
    ('mixed_cbs_per_mfree', '<= 0.25',
     'mixed caches: call_rcu() callbacks per million frees'),
    ('mixed_peak_kb', '', 'mixed caches: peak memory in use'),
    ('mixed_release_cpu_ns_per_obj', '<= 1.0',
     'mixed caches: CPU time outside the flooders per object'),
    ('mixed_irq_ns_per_obj', '',
     'mixed caches: of which in hard interrupts'),
    ('mixed_softirq_ns_per_obj', '', 'mixed caches: of which in softirqs'),
    ('enqueue_1t_ns', '<= 1.0', 'ns per kfree_rcu(), one thread'),
    ('enqueue_nt_ns', '<= 1.0', 'ns per kfree_rcu(), one thread per CPU'),
    ('destroy_median_us', '<= 0.2', 'kmem_cache_destroy() under a flood'),
    ('destroy_p99_us', '', 'kmem_cache_destroy(), 99th percentile'),
    ('destroy_barrier_median_us', '',
     'kvfree_rcu_barrier_on_cache() alone, before a destroy'),
    ('destroy_gp_us', '', 'synchronize_rcu() under the same flood'),
    ('destroy_gp_exp_us', '',
     'synchronize_rcu_expedited() under the same flood'),
    ('sparse_median_ms', '', 'sparse frees: kfree_rcu() to release'),
    ('sparse_p99_ms', '<= 1.0', 'sparse frees: 99th percentile'),
    ('sparse_unreleased', 'patched = 0',
     'sparse frees: objects not released before the cap'),
    ('sparse_objs_per_release_x100', '',
     'sparse frees: objects released together (x100)'),
    ('idle_max_ms', '', 'idle CPUs: longest time to release (capped)'),
    ('idle_unreleased', 'patched = 0', 'idle CPUs: objects never released'),
    ('smallmem_oom', 'patched = 0', '512 MB flood: OOM reports'),
    ('smallmem_peak_kb', '<= 1.0',
     '512 MB flood: peak pages holding objects, over settled'),
    ('smallmem_mem_mb', '', "512 MB flood: rcuscale's own footprint"),
    ('mixed-rt_release_cpu_ns_per_obj', '<= 0.7',
     'PREEMPT_RT mixed caches: CPU time outside the flooders per object'),
    ('mixed-timed_alloc_ns', '',
     'mixed caches, W=mixed-timed: ns per allocation'),
    ('mixed-timed_enqueue_ns', '',
     'mixed caches, W=mixed-timed: ns per kfree_rcu()'),
    ('mixed-timed_release_cpu_ns_per_obj', '',
     'mixed caches, W=mixed-timed: CPU time outside the flooders per object'),
    ('rcuscale_stats_slab_frees_pm', '',
     'rcuscale, W=rcuscale-stats: objects freed to slabs per 1000 allocated'),
    ('rcuscale_stats_slab_refills_pm', '',
     'rcuscale, W=rcuscale-stats: objects sheaves took from slabs per 1000'),
    ('rcuscale_stats_barn_sheaves', '',
     'rcuscale, W=rcuscale-stats: full sheaves put in a barn'),
    ('mixed-stats_slab_frees_pm', '',
     'mixed caches, W=mixed-stats: objects freed to slabs per 1000 allocated'),
    ('mixed-stats_slab_refills_pm', '',
     'mixed caches, W=mixed-stats: objects sheaves took from slabs per 1000'),
    ('mixed-stats_barn_sheaves', '',
     'mixed caches, W=mixed-stats: full sheaves put in a barn'),
    ('mixed-rt_cbs_per_mfree', '',
     'PREEMPT_RT mixed caches: callbacks per million frees'),
    ('mixed-rt_time_ms', '', 'PREEMPT_RT mixed caches: run time'),
]

# The splats of harness/splats.py, and a cache destroyed with objects left.
SPLAT = re.compile(splats.SPLAT.pattern + r'|still has objects')
RCUSCALE = re.compile(r"Total time taken by all kfree'ers: (\d+) ns, "
                      r"loops: \d+, batches: (-?\d+), "
                      r"memory footprint: (-?\d+)MB")


def say(msg):
    print('  ' + msg, flush=True)


def die(msg):
    print('kfree_batch: error: ' + msg, file=sys.stderr)
    sys.exit(1)


def git(tree, *args):
    return subprocess.run(['git', '-C', tree] + list(args), check=True,
                          capture_output=True, text=True).stdout.strip()


# Trees and builds ----------------------------------------------------------

def bench_stanzas():
    return kseries.parse(os.path.join(ROOT, 'bench', 'series'))


def src_of(kernel):
    return os.path.join(BENCH, kernel, 'src')


def prepare_src(kernel):
    """A git worktree of O/linux: ONTO[kernel] plus the bench commit."""
    src = src_of(kernel)
    stanzas = bench_stanzas()
    onto = git(TREE, 'rev-parse', ONTO[kernel])
    h = hashlib.sha256(onto.encode())
    h.update(open(os.path.join(ROOT, 'bench', 'series'), 'rb').read())
    for s in stanzas:
        for f in s['Files'] + s['Patches']:
            h.update(open(os.path.join(ROOT, 'bench', f), 'rb').read())
    stamp = h.hexdigest()
    stampf = os.path.join(BENCH, kernel, 'stamp')
    if not os.path.isdir(src):
        os.makedirs(os.path.dirname(src), exist_ok=True)
        say('WORKTREE %s (%s)' % (src, ONTO[kernel]))
        git(TREE, 'worktree', 'prune')
        git(TREE, 'worktree', 'add', '-q', '--detach', src, onto)
    elif open(stampf).read().strip() == stamp if os.path.exists(stampf) \
            else False:
        return src
    snap = kseries.snapshot(src)
    git(src, 'checkout', '-q', '-f', '-B', 'bench-' + kernel, onto)
    git(src, 'clean', '-q', '-f', '-d')
    say('COMMIT  bench onto %s (%s)' % (ONTO[kernel], onto[:12]))
    kseries.apply(stanzas, src, 'bench-' + kernel, onto,
                  root=os.path.join(ROOT, 'bench'), checkout=False)
    kseries.restore_mtimes(src, snap)
    with open(stampf, 'w') as f:
        f.write(stamp + '\n')
    return src


def out_of(kernel, flavour):
    return os.path.join(BENCH, kernel, 'out-' + flavour)


def bzimage(kernel, flavour):
    return os.path.join(out_of(kernel, flavour), 'arch/x86/boot/bzImage')


def make_env():
    env = dict(os.environ)
    env.setdefault('CCACHE_DIR', os.path.join(os.environ.get('HOME', '/root'),
                                              '.cache', 'ccache'))
    # stock/out-plain and patched/out-plain see their sources at ../src:
    # relative to BENCH, both builds share ccache hits.
    env['CCACHE_BASEDIR'] = BENCH
    # The Makefile exports ARCH (um, for make kunit): these are x86_64.
    env['ARCH'] = 'x86_64'
    # `make bench W=mixed` puts W=mixed in MAKEFLAGS, and kbuild reads W=
    # as its extra-warning levels (an "e" in it means -Werror): the kernel
    # builds must not inherit our make's variables.
    for v in ('MAKEFLAGS', 'MFLAGS', 'MAKEOVERRIDES', 'MAKELEVEL'):
        env.pop(v, None)
    env.setdefault('CCACHE_MAXSIZE', '20G')
    return env


def build(kernel, flavour):
    src = prepare_src(kernel)
    out = out_of(kernel, flavour)
    os.makedirs(out, exist_ok=True)
    frag = open(os.path.join(ROOT, 'bench', 'bench.config')).read()
    if flavour in ('rt', 'stats'):
        frag += open(os.path.join(ROOT, 'bench', flavour + '.config')).read()
    fragf = os.path.join(out, 'bench.config')
    env = make_env()
    cc = ['ARCH=x86_64', 'CC=ccache gcc', 'HOSTCC=ccache gcc']
    def missing():
        try:
            config = open(os.path.join(out, '.config')).read().splitlines()
        except FileNotFoundError:
            return ['.config']
        return [ln for ln in frag.splitlines()
                if ln.startswith('CONFIG_') and ln not in config]

    # A new fragment, or a .config that lost it (another ARCH, say).
    if not (os.path.exists(fragf) and open(fragf).read() == frag) or \
            missing():
        with open(fragf, 'w') as f:
            f.write(frag)
        subprocess.run(['make', '-s', '-C', src, 'O=' + out,
                        'KCONFIG_ALLCONFIG=' + fragf, 'allnoconfig'] + cc,
                       check=True, env=env, stdout=subprocess.DEVNULL)
    for line in missing():
        die('%s %s: %s did not stick in %s/.config'
            % (kernel, flavour, line, out))
    t0 = time.time()
    say('BUILD   %s %s kernel (%s)' % (kernel, flavour, out))
    p = subprocess.Popen(['make', '-C', src, 'O=' + out, '-j' + JOBS,
                          'bzImage'] + cc, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tail, ncc, last = [], 0, time.time()
    for line in p.stdout:
        if V:
            sys.stdout.write(line)
        tail = (tail + [line])[-40:]
        if line.lstrip().startswith('CC'):
            ncc += 1
        if time.time() - last > 30:
            say('        %s %s: %d files compiled, %ds'
                % (kernel, flavour, ncc, time.time() - t0))
            last = time.time()
    if p.wait():
        sys.stdout.write(''.join(tail))
        die('building the %s %s kernel failed' % (kernel, flavour))
    say('        %s %s: done in %ds (%d files compiled)'
        % (kernel, flavour, time.time() - t0, ncc))


# Runs ----------------------------------------------------------------------

def qemu_cmd(kernel, flavour, mem, append):
    return ['qemu-system-x86_64', '-accel', 'kvm' if KVM else 'tcg',
            '-smp', '4', '-m', str(mem), '-display', 'none',
            '-serial', 'stdio', '-monitor', 'none', '-no-reboot',
            '-kernel', bzimage(kernel, flavour),
            '-append', 'console=ttyS0 panic=-1 ' + append]


# lib/test_vmalloc.c is built in (the vmalloc check): idle unless asked.
# rcuscale is built in (the rcuscale workloads): without kfree_rcu_test it
# runs its grace-period test beside the workload.  No readers and one
# writer held off for 11 days keep it asleep.  (An unknown scale_type
# would turn it off, but 7.3's rcu_scale_cleanup() then oopses.)
def default_params(append):
    if 'test_vmalloc.run_test_mask=' not in append:
        append = 'test_vmalloc.run_test_mask=0 ' + append
    if 'rcuscale.kfree_rcu_test=1' not in append:
        append = ('rcuscale.nreaders=0 rcuscale.nwriters=1 '
                  'rcuscale.holdoff=1000000 rcuscale.shutdown_secs=0 ' + append)
    return append


def boot(kernel, workload, size, tag, timeout=900):
    flavour, mem, append = WORKLOADS[workload]
    append = default_params(append.format(**SIZES[size]))
    cmd = qemu_cmd(kernel, flavour, mem, append)
    logdir = os.path.join(BENCH, 'logs')
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, '%s-%s-%s.log' % (workload, kernel, tag))
    t0 = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors='replace')
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    lines = []
    with open(log, 'w') as f:
        f.write('# ' + ' '.join(cmd) + '\n')
        for line in p.stdout:
            f.write(line)
            lines.append(line)
            if V:
                sys.stdout.write(line)
            if ('reboot: Power down' in line or 'System halted' in line or
                    'Rebooting in' in line or 'end Kernel panic' in line):
                p.kill()
    p.wait()
    timer.cancel()
    return parse(workload, ''.join(lines)), time.time() - t0, log


def parse(workload, text):
    m = {}
    name = re.sub(r'-(rt|timed|stats)$', '', workload)
    prefix = workload + '_' if workload != name else ''
    for k, v in re.findall(r'kfree_rcu_bench: metric (\S+) (-?\d+)', text):
        if k.startswith('hold_'):
            k = workload.replace('-', '_') + k[len('hold'):]
        elif prefix and k.startswith(name + '_'):
            k = prefix + k[len(name) + 1:]
        m[k] = int(v)
    r = RCUSCALE.search(text)
    if r and workload.startswith('rcuscale'):
        w = workload.replace('-', '_')
        m[w + '_time_ms'] = int(r.group(1)) // 1000000
        m[w + '_gps'] = int(r.group(2))
        m[w + '_mem_mb'] = int(r.group(3))
    if workload == 'smallmem':
        m['smallmem_oom'] = len(re.findall(r'Out of memory|oom-kill', text))
        if r:
            m['smallmem_time_ms'] = int(r.group(1)) // 1000000
            m['smallmem_mem_mb'] = int(r.group(3))
    for name, ok, bad in re.findall(
            r'Summary: (\S+) passed: (\d+) failed: (\d+)', text):
        m['vmalloc_' + name] = int(ok) if not int(bad) else -int(bad)
    kb = re.search(r'kfree_batch kvfree_rcu: (.*)', text)
    if kb:
        m['_kfree_batch'] = kb.group(1).strip()
    m['_splats'] = len([ln for ln in text.splitlines() if SPLAT.search(ln)])
    m['_done'] = int('kfree_rcu_bench: done' in text or r is not None)
    if workload == 'vmalloc' and not all(
            m.get('vmalloc_kvfree_rcu_%d_arg_vmalloc_test' % i, 0) > 0
            for i in (1, 2)):
        m['_done'] = 0
    return m


# Table ---------------------------------------------------------------------

def ratio(p, s):
    if s == 0:
        return 1.0 if p == 0 else float('inf')
    return p / s


def fmt(x):
    if isinstance(x, float):
        if x == float('inf'):
            return 'inf'
        return '%.2f' % x
    return str(x)


def summarise(raw):
    """raw: list of (round, kernel, metric, value).  Returns table rows."""
    rows = []
    for name, goal, what in METRICS:
        per = {}
        for rnd, kernel, metric, value in raw:
            if metric == name:
                per.setdefault(rnd, {})[kernel] = value
        rounds = [r for r in sorted(per) if len(per[r]) == 2]
        if not rounds:
            continue
        st = statistics.median([per[r]['stock'] for r in rounds])
        pa = statistics.median([per[r]['patched'] for r in rounds])
        rs = [ratio(per[r]['patched'], per[r]['stock']) for r in rounds]
        rows.append(dict(metric=name, what=what, goal=goal, stock=st,
                         patched=pa, ratio=ratio(pa, st), min=min(rs),
                         max=max(rs), rounds=len(rounds),
                         met=goal_met(goal, pa, ratio(pa, st))))
    return rows


def goal_met(goal, patched, r):
    if not goal:
        return ''
    if goal == 'patched = 0':
        return 'yes' if patched == 0 else 'NO'
    op, v = goal.split()
    ok = r <= float(v) if op == '<=' else r >= float(v)
    return 'yes' if ok else 'NO'


def print_table(rows, out=sys.stdout):
    hdr = ('metric', 'stock', 'patched', 'ratio', 'min-max', 'goal', 'met')
    lines = [hdr]
    for r in rows:
        lines.append((r['metric'], fmt(r['stock']), fmt(r['patched']),
                      fmt(r['ratio']),
                      '%s-%s' % (fmt(r['min']), fmt(r['max'])),
                      r['goal'] or '-', r['met'] or '-'))
    w = [max(len(x[i]) for x in lines) for i in range(len(hdr))]
    for i, ln in enumerate(lines):
        out.write('| ' + ' | '.join(c.ljust(w[j]) for j, c in enumerate(ln))
                  + ' |\n')
        if i == 0:
            out.write('|' + '|'.join('-' * (x + 2) for x in w) + '|\n')


def write_outputs(rows, raw, size):
    base = os.path.join(BENCH, 'results-' + size)
    with open(base + '-raw.csv', 'w', newline='') as f:
        c = csv.writer(f)
        c.writerow(['round', 'kernel', 'metric', 'value'])
        c.writerows(raw)
    with open(base + '.csv', 'w', newline='') as f:
        c = csv.writer(f)
        c.writerow(['metric', 'stock_median', 'patched_median', 'ratio',
                    'ratio_min', 'ratio_max', 'rounds', 'goal', 'met',
                    'what'])
        for r in rows:
            c.writerow([r['metric'], r['stock'], r['patched'],
                        fmt(r['ratio']), fmt(r['min']), fmt(r['max']),
                        r['rounds'], r['goal'], r['met'], r['what']])
    with open(base + '.md', 'w') as f:
        print_table(rows, f)
    dat = base + '.dat'
    with open(dat, 'w') as f:
        for i, r in enumerate(rows):
            cap = lambda x: max(min(x, 10.0), 0.006)  # noqa: E731
            f.write('%d "%s" %f %f %f\n' % (i, r['metric'], cap(r['ratio']),
                                            cap(r['min']), cap(r['max'])))
    png = base + '.png'
    if shutil.which('gnuplot'):
        gp = '''set terminal pngcairo size 1200,700 noenhanced
set output "%s"
set title "kfree_batch / stock 7.3 (%s): patched/stock ratio of medians, bars min-max over rounds (capped at 10)"
set logscale y
set yrange [0.005:12]
set ylabel "ratio (lower is better, but objs_per_release)"
set xtics rotate by -45 font ",9"
set grid ytics
set style fill solid 0.5
set boxwidth 0.6
plot 1 with lines lc rgb "red" title "stock", \\
     "%s" using 1:3:xtic(2) with boxes lc rgb "steelblue" title "patched", \\
     "" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 notitle
''' % (png, size, dat)
        r = subprocess.run(['gnuplot'], input=gp, text=True,
                           capture_output=True)
        if r.returncode:
            gp = gp.replace('pngcairo', 'png')
            subprocess.run(['gnuplot'], input=gp, text=True,
                           capture_output=True)
    return base


# Commands ------------------------------------------------------------------

def need_kernels(workloads):
    flavours = sorted({WORKLOADS[w][0] for w in workloads})
    for fl in flavours:
        for k in ('stock', 'patched'):
            build(k, fl)


def cmd_all(size, only):
    workloads = only or (SMALL_WORKLOADS if size == 'small'
                         else TABLE_WORKLOADS)
    rounds = int(os.environ.get('ROUNDS') or SIZES[size]['rounds'])
    t0 = time.time()
    need_kernels(workloads)
    raw, bad, seen_kb = [], [], None
    for rnd in range(1, rounds + 1):
        for w in workloads:
            for k in ('stock', 'patched'):
                m, secs, log = boot(k, w, size, 'r%d' % rnd)
                say('RUN     round %d/%d %-9s %-8s %4ds %s'
                    % (rnd, rounds, w, k, secs,
                       ' '.join('%s=%s' % (a, b) for a, b in m.items()
                                if not a.startswith('_'))))
                if not m['_done']:
                    bad.append('%s: did not finish (%s)' % (w + ' ' + k, log))
                if m['_splats']:
                    bad.append('%s: %d splat lines (%s)'
                               % (w + ' ' + k, m['_splats'], log))
                for a, b in m.items():
                    if not a.startswith('_'):
                        raw.append((rnd, k, a, b))
                if '_kfree_batch' in m:
                    seen_kb = (w, m['_kfree_batch'])
    rows = summarise(raw)
    base = write_outputs(rows, raw, size)
    print()
    print('kfree_batch vs stock 7.3, make bench SIZE=%s, %d rounds, '
          'QEMU -smp 4 %s, %s' % (size, rounds, 'KVM' if KVM else 'TCG',
                                 time.strftime('%Y-%m-%d')))
    print_table(rows)
    print()
    say('CSV     %s.csv (per round: %s-raw.csv)' % (base, base))
    say('CHART   %s.png' % base)
    say('LOGS    %s/logs/' % BENCH)
    say('TIME    %dm%02ds' % divmod(int(time.time() - t0), 60))
    if seen_kb:
        say('KFREE_BATCH the patched kernel\'s kfree_rcu() client after %s: %s'
            % seen_kb)
    for b in bad:
        say('PROBLEM ' + b)
    return 1 if bad else 0


def main():
    a = sys.argv[1:]
    size = 'small'
    if '--size' in a:
        size = a[a.index('--size') + 1]
        del a[a.index('--size'):a.index('--size') + 2]
    if size not in SIZES:
        die('SIZE=%s: small or large' % size)
    only = []
    if '--only' in a:
        only = [w for w in a[a.index('--only') + 1].split(',') if w]
        del a[a.index('--only'):a.index('--only') + 2]
        for w in only:
            if w not in WORKLOADS:
                die('unknown workload %s (%s)' % (w, ', '.join(WORKLOADS)))
    if not a:
        die(__doc__)
    if a[0] == 'all':
        sys.exit(cmd_all(size, only))
    if a[0] == 'build' and len(a) >= 2 and a[1] in ONTO:
        build(a[1], 'rt' if '--rt' in a else
              'stats' if '--stats' in a else 'plain')
    elif a[0] == 'run' and len(a) == 3 and a[1] in ONTO:
        if a[2] not in WORKLOADS:
            die('unknown workload %s (%s)' % (a[2], ', '.join(WORKLOADS)))
        build(a[1], WORKLOADS[a[2]][0])
        m, secs, log = boot(a[1], a[2], size, 'single')
        for k, v in m.items():
            print('%s %s' % (k, v))
        if '_kfree_batch' in m:
            say('kfree_rcu() went through kfree_batch: ' + m['_kfree_batch'])
        say('LOG     %s (%ds)' % (log, secs))
        sys.exit(0 if m['_done'] and not m['_splats'] else 1)
    elif a[0] == 'table':
        f = os.path.join(BENCH, 'results-%s-raw.csv' % size)
        with open(f) as fh:
            raw = [(int(r[0]), r[1], r[2], int(r[3]))
                   for r in list(csv.reader(fh))[1:]]
        print_table(summarise(raw))
    else:
        die(__doc__)


if __name__ == '__main__':
    main()
