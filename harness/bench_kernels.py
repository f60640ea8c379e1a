# SPDX-License-Identifier: GPL-2.0
"""The benchmark's kernels: their trees, their builds, and one boot.

Two kernels from the same base and the same config (bench/bench.config on
top of allnoconfig, plus bench/rt.config for the PREEMPT_RT pair and
bench/stats.config for the CONFIG_SLUB_STATS pair):

    stock    base 7.3 + the benchmark's commit (bench/series) + the
             stock-only commit that counts 7.3's deferred-free storage
             (bench/series-stock)
    patched  the kfree_batch series + the benchmark's commit

Each boot runs one kernel under QEMU (TCG unless KVM=1) with no root file
system; lib/kfree_rcu_bench.c or rcuscale runs the workload at boot and
the kernel powers off.
"""

import hashlib
import os
import subprocess
import sys
import threading
import time

import series as kseries
from bench_workloads import SIZES, WORKLOADS, parse

ROOT = kseries.ROOT


def lib_env():
    """The environment of harness/lib.sh: O=, KSRC=, JOBS=, ccache, KFB_CC."""
    out = subprocess.run(
        ['bash', '-c', 'source "$1" && export O JOBS && env -0', 'lib.sh',
         os.path.join(ROOT, 'harness', 'lib.sh')],
        check=True, capture_output=True).stdout.decode()
    return dict(kv.split('=', 1) for kv in out.split('\0') if '=' in kv)


LIB = lib_env()
O = LIB['O']
# KSRC=: the maintainer's tree that `make prepare` put the series on, a
# branch kfree_batch-<stamp> over the commit recorded in kfb-onto.  Its
# kernels are kept apart from those of the Debian base.
KSRC = os.environ.get('KSRC', '')
BENCH = os.path.join(O, 'bench-ksrc' if KSRC else 'bench')
TREE = KSRC or os.path.join(O, 'linux')
JOBS = LIB['JOBS']
V = os.environ.get('V', '0') == '1'
KVM = os.environ.get('KVM', '0') == '1'

# Where each kernel starts (a rev of the prepared tree, O/linux or KSRC),
# and the bench series files applied on top, in order.
ONTO = {'stock': 'base', 'patched': 'kfree_batch'}
SERIES = {'stock': ('series', 'series-stock'), 'patched': ('series',)}


def say(msg):
    print('  ' + msg, flush=True)


die = kseries.die


def git(tree, *args):
    return subprocess.run(['git', '-C', tree] + list(args), check=True,
                          capture_output=True, text=True).stdout.strip()


def onto_of(kernel):
    """The rev of TREE that @kernel starts from."""
    if not KSRC:
        return ONTO[kernel]
    gitdir = git(KSRC, 'rev-parse', '--absolute-git-dir')
    if kernel == 'stock':
        try:
            with open(os.path.join(gitdir, 'kfb-onto')) as f:
                return f.read().strip()
        except OSError:
            die('KSRC=%s: no kfb-onto in its git directory: run `make '
                'KSRC=%s prepare` first' % (KSRC, KSRC))
    branch = subprocess.run(['git', '-C', KSRC, 'symbolic-ref', '-q',
                             '--short', 'HEAD'], capture_output=True,
                            text=True).stdout.strip()
    if not branch.startswith('kfree_batch-'):
        die('KSRC=%s is on %s, not on the branch `make KSRC=%s prepare` '
            'made (kfree_batch-<stamp>)' % (KSRC, branch or 'no branch',
                                            KSRC))
    return branch


def src_of(kernel):
    return os.path.join(BENCH, kernel, 'src')


def prepare_src(kernel):
    """A git worktree of O/linux: ONTO[kernel] plus the bench commits."""
    src = src_of(kernel)
    bench = os.path.join(ROOT, 'bench')
    stanzas = []
    for name in SERIES[kernel]:
        stanzas += kseries.parse(os.path.join(bench, name))
    onto = git(TREE, 'rev-parse', onto_of(kernel))
    h = hashlib.sha256(onto.encode())
    for name in SERIES[kernel]:
        h.update(open(os.path.join(bench, name), 'rb').read())
    for s in stanzas:
        for f in s['Files'] + s['Patches']:
            h.update(open(os.path.join(bench, f), 'rb').read())
    stamp = h.hexdigest()
    stampf = os.path.join(BENCH, kernel, 'stamp')
    if not os.path.isdir(src):
        os.makedirs(os.path.dirname(src), exist_ok=True)
        say('WORKTREE %s (%s)' % (src, onto_of(kernel)))
        git(TREE, 'worktree', 'prune')
        git(TREE, 'worktree', 'add', '-q', '--detach', src, onto)
    elif os.path.exists(stampf) and open(stampf).read().strip() == stamp:
        return src
    snap = kseries.snapshot(src)
    git(src, 'checkout', '-q', '-f', '-B', 'bench-' + kernel, onto)
    git(src, 'clean', '-q', '-f', '-d')
    say('COMMIT  bench onto %s (%s)' % (onto_of(kernel), onto[:12]))
    kseries.apply(stanzas, src, 'bench-' + kernel, onto, root=bench,
                  checkout=False)
    kseries.restore_mtimes(src, snap)
    with open(stampf, 'w') as f:
        f.write(stamp + '\n')
    return src


def out_of(kernel, flavour):
    return os.path.join(BENCH, kernel, 'out-' + flavour)


def bzimage(kernel, flavour):
    return os.path.join(out_of(kernel, flavour), 'arch/x86/boot/bzImage')


def make_env():
    """lib_env(), for the x86_64 kernel builds."""
    env = lib_env()
    # The Makefile exports ARCH (um, for make kunit): these are x86_64.
    env['ARCH'] = 'x86_64'
    # The kernel builds must not inherit our make's variables (kbuild
    # reads some of the same names).
    for v in ('MAKEFLAGS', 'MFLAGS', 'MAKEOVERRIDES', 'MAKELEVEL'):
        env.pop(v, None)
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
    cc = ['ARCH=x86_64', 'CC=' + env['KFB_CC'], 'HOSTCC=' + env['KFB_CC']]

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


def need_kernels(workloads):
    for fl in sorted({WORKLOADS[w].flavour for w in workloads}):
        for k in ('stock', 'patched'):
            build(k, fl)


def qemu_cmd(kernel, spec, append):
    return [os.path.join(ROOT, 'harness', 'qemu-boot.sh'), str(spec.smp),
            str(spec.mem), bzimage(kernel, spec.flavour), append]


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


def boot(kernel, workload, size, tag, timeout=1200):
    """One boot: (metrics, seconds, console log path)."""
    spec = WORKLOADS[workload]
    append = default_params(spec.append.format(**SIZES[size]))
    cmd = qemu_cmd(kernel, spec, append)
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
