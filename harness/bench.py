#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare kfree_batch with stock 7.3: the same workloads on two kernels.

    bench.py all [--size small|large] [--only W,W]   every round, the table
    bench.py build stock|patched [--flavour plain|rt|stats]
    bench.py run stock|patched WORKLOAD [--size S]   one boot, its figures
    bench.py table [--size S]                        the last run's table

Each round runs every workload on both kernels, the two in a random order
(SEED= fixes it).  Workloads with goals run ROUNDS rounds (7 for
SIZE=large), counts-only ones at most 3.  The table goes to
build/bench/results-<size>.{md,csv,png}; a whole SIZE=large run also
writes bench/RESULTS.md.  Kernels: bench_kernels.py; workloads, metrics and
goals: bench_workloads.py; statistics: bench_stats.py.
"""

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_kernels as bk  # noqa: E402
import bench_stats as bs  # noqa: E402
from bench_workloads import (COUNT_ROUNDS, GOAL_ROUNDS, REASONS,  # noqa: E402
                             SIZES, SMALL_WORKLOADS, TABLE_WORKLOADS,
                             WORKLOADS)

say, die = bk.say, bk.die


def rounds_of(workload, rounds):
    return min(rounds, COUNT_ROUNDS) if WORKLOADS[workload].counts_only \
        else rounds


def run_rounds(workloads, size, rounds, rng):
    raw, bad, seen_kb = [], [], None
    for rnd in range(1, rounds + 1):
        for w in workloads:
            if rnd > rounds_of(w, rounds):
                continue
            kernels = ['stock', 'patched']
            rng.shuffle(kernels)
            for k in kernels:
                m, secs, log = bk.boot(k, w, size, 'r%d' % rnd)
                say('RUN     round %d/%d %-18s %-8s %4ds %s'
                    % (rnd, rounds_of(w, rounds), w, k, secs,
                       ' '.join('%s=%s' % (a, b) for a, b in m.items()
                                if not a.startswith('_'))))
                if not m['_done']:
                    bad.append('%s %s round %d: did not finish (%s)'
                               % (w, k, rnd, log))
                neg = [a for a, b in m.items() if not a.startswith('_') and
                       b != 'cap' and b < 0 and
                       a.rsplit('_', 1)[-1] in ('gps', 'ipis', 'kb')]
                if neg:
                    bad.append('%s %s round %d: negative counts %s (%s)'
                               % (w, k, rnd, ' '.join(neg), log))
                if m['_splats']:
                    bad.append('%s %s round %d: %d splat lines (%s)'
                               % (w, k, rnd, m['_splats'], log))
                for a, b in m.items():
                    if not a.startswith('_'):
                        raw.append((rnd, k, a, b))
                if '_kfree_batch' in m:
                    seen_kb = (w, m['_kfree_batch'])
    return raw, bad, seen_kb


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for ln in open('/proc/cpuinfo'):
            if ln.startswith('model name'):
                cpu = ln.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30
    qemu = subprocess.run(['qemu-system-x86_64', '--version'],
                          capture_output=True, text=True).stdout
    qemu = qemu.splitlines()[0] if qemu else 'qemu (version unknown)'
    return '%d CPUs (%s), %d GiB, %s, %s' % (
        os.cpu_count(), cpu, mem, platform.platform(terse=True), qemu)


def commit():
    try:
        head = bk.git(bk.ROOT, 'rev-parse', '--short=12', 'HEAD')
        dirty = bk.git(bk.ROOT, 'status', '--porcelain', '--untracked-files=no')
    except subprocess.CalledProcessError:
        return 'unknown'
    return head + (' with local changes' if dirty else '')


def write_csv(base, rows, raw):
    with open(base + '-raw.csv', 'w', newline='') as f:
        c = csv.writer(f)
        c.writerow(['round', 'kernel', 'metric', 'value'])
        c.writerows(raw)
    with open(base + '.csv', 'w', newline='') as f:
        c = csv.writer(f)
        c.writerow(['metric', 'stock_median', 'patched_median', 'ratio',
                    'ci_low', 'ci_high', 'rounds', 'goal', 'met', 'what'])
        for r in rows:
            ci = r['ci'] or (None, None)
            c.writerow([r['metric'], bs.fmt(r['stock'], r['metric']),
                        bs.fmt(r['patched'], r['metric']),
                        bs.fmt(r['ratio'], inf='inf'), bs.fmt(ci[0], inf='inf'),
                        bs.fmt(ci[1], inf='inf'), r['rounds'], r['goal'],
                        r['met'], r['what']])


def write_chart(base, rows, size):
    if not shutil.which('gnuplot'):
        return
    dat = base + '.dat'
    with open(dat, 'w') as f:
        i = 0
        for r in rows:
            if r['ratio'] is None or not r['ci']:
                continue
            cap = lambda x: max(min(x, 10.0), 0.006)  # noqa: E731
            f.write('%d "%s" %f %f %f\n' % (i, r['metric'], cap(r['ratio']),
                                            cap(r['ci'][0]), cap(r['ci'][1])))
            i += 1
    png = base + '.png'
    gp = '''set terminal pngcairo size 1600,800 noenhanced
set output "%s"
set title "kfree_batch / stock 7.3 (%s): ratio of medians, bars 95%% bootstrap interval (capped at 10)"
set logscale y
set yrange [0.005:12]
set xtics rotate by -60 font ",8"
set grid ytics
set style fill solid 0.5
set boxwidth 0.6
plot 1 with lines lc rgb "red" title "stock", \\
     "%s" using 1:3:xtic(2) with boxes lc rgb "steelblue" title "patched", \\
     "" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 notitle
''' % (png, size, dat)
    r = subprocess.run(['gnuplot'], input=gp, text=True, capture_output=True)
    if r.returncode:
        subprocess.run(['gnuplot'], input=gp.replace('pngcairo', 'png'),
                       text=True, capture_output=True)


def results_md(rows, info, bad, workloads):
    out = ['# kfree_batch against stock 7.3: `make bench SIZE=%s`' % info['size'],
           '',
           'Generated by `make bench SIZE=%s` (harness/bench.py); do not '
           'edit.' % info['size'], '',
           '- machine: %s' % info['machine'],
           '- date: %s, run time %s' % (info['date'], info['time']),
           '- commit: %s' % info['commit'],
           ] + (['- stock kernel: KSRC=%s at %s, not Debian\'s 7.3'
                 % (info['ksrc'], info.get('ksrc_onto', '?'))]
                if info.get('ksrc') else []) + [
           '- rounds: %d for workloads with goals, up to %d for counts-only '
           'ones; kernel order random per round (seed %d)'
           % (info['rounds'], COUNT_ROUNDS, info['seed']),
           '- QEMU %s, `-smp 4` unless the workload says otherwise'
           % ('KVM' if bk.KVM else 'TCG'), '',
           'ratio: patched/stock of the medians over rounds; 95%% CI: '
           'bootstrap over rounds; "cap": no value below the cap (no '
           'object released); goals on the ratio are judged on it, '
           '"patched" goals on the worst round, and only with %d rounds or '
           'more.' % GOAL_ROUNDS, '']
    out += bs.table_lines(rows)
    met = [r for r in rows if r['met'] == 'yes']
    missed = [r for r in rows if r['met'] == 'NO']
    out += ['', 'Goals met: %d; not met: %d%s.' % (
        len(met), len(missed),
        (' (' + ', '.join(bs.label(r['metric']) for r in missed) + ')')
        if missed else '')]
    if missed:
        out += ['', '## Goals not met, and why', '']
        out += ['- `%s` (%s, goal %s): %s' % (
            bs.label(r['metric']), bs.fmt(r['ratio'], inf='inf')
            if not r['goal'].startswith('patched') else
            bs.fmt(r['patched_worst'], r['metric']), r['goal'],
            REASONS.get(r['metric'], 'not analysed.')) for r in missed]
    if bad:
        out += ['', '## Problems', ''] + ['- ' + b for b in bad]
    out += ['', '## Workloads', '']
    out += ['- `%s`: %s' % (w, WORKLOADS[w].what) for w in workloads]
    out += ['', '## Metrics', '']
    out += ['- `%s`: %s' % (bs.label(r['metric']), r['what']) for r in rows
            if r['what']]
    return '\n'.join(out) + '\n'


def cmd_all(size, only):
    workloads = only or (SMALL_WORKLOADS if size == 'small'
                         else TABLE_WORKLOADS)
    rounds = int(os.environ.get('ROUNDS') or SIZES[size]['rounds'])
    seed = int(os.environ.get('SEED') or time.time())
    t0 = time.time()
    date = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    tree = commit()
    bk.need_kernels(workloads)
    raw, bad, seen_kb = run_rounds(workloads, size, rounds,
                                   random.Random(seed))
    rows = bs.summarise(raw, seed)
    base = os.path.join(bk.BENCH, 'results-' + size)
    write_csv(base, rows, raw)
    write_chart(base, rows, size)
    info = dict(size=size, rounds=rounds, seed=seed, date=date,
                machine=machine(), commit=tree, ksrc=bk.KSRC,
                ksrc_onto=bk.git(bk.TREE, 'rev-parse', '--short=12',
                                 bk.onto_of('stock')) if bk.KSRC else '',
                time='%dm%02ds' % divmod(int(time.time() - t0), 60))
    with open(base + '-info.json', 'w') as f:
        json.dump(dict(info, bad=bad, workloads=workloads, only=bool(only)),
                  f, indent=1)
    md = results_md(rows, info, bad, workloads)
    with open(base + '.md', 'w') as f:
        f.write(md)
    print()
    print('kfree_batch vs stock 7.3, make bench SIZE=%s, %d rounds, seed %d'
          % (size, rounds, seed))
    print('\n'.join(bs.table_lines(rows)))
    print()
    # bench/RESULTS.md is the record against Debian's 7.3, not KSRC's base.
    if size == 'large' and not only and not bk.KSRC:
        res = os.path.join(bk.ROOT, 'bench', 'RESULTS.md')
        with open(res, 'w') as f:
            f.write(md)
        say('RESULTS %s' % res)
    say('TABLE   %s.md, %s.csv (per round: %s-raw.csv), chart %s.png'
        % (base, base, base, base))
    say('LOGS    %s/logs/' % bk.BENCH)
    say('TIME    %s' % info['time'])
    if seen_kb:
        say("KFREE_BATCH the patched kernel's kfree_rcu() client after %s: %s"
            % seen_kb)
    for b in bad:
        say('PROBLEM ' + b)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(
        description='kfree_batch against stock 7.3',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    sub = ap.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('all')
    a.add_argument('--size', choices=SIZES, default='small')
    a.add_argument('--only', default='')
    b = sub.add_parser('build')
    b.add_argument('kernel', choices=bk.ONTO)
    b.add_argument('--flavour', choices=('plain', 'rt', 'stats'),
                   default='plain')
    r = sub.add_parser('run')
    r.add_argument('kernel', choices=bk.ONTO)
    r.add_argument('workload')
    r.add_argument('--size', choices=SIZES, default='small')
    t = sub.add_parser('table')
    t.add_argument('--size', choices=SIZES, default='small')
    t.add_argument('--write', action='store_true',
                   help='write the Markdown again (and bench/RESULTS.md '
                   'after a whole SIZE=large run) from the last run')
    args = ap.parse_args()

    if args.cmd == 'all':
        only = [w for w in args.only.split(',') if w]
        for w in only:
            if w not in WORKLOADS:
                die('unknown workload %s (%s)' % (w, ', '.join(WORKLOADS)))
        sys.exit(cmd_all(args.size, only))
    if args.cmd == 'build':
        bk.build(args.kernel, args.flavour)
    elif args.cmd == 'run':
        if args.workload not in WORKLOADS:
            die('unknown workload %s (%s)'
                % (args.workload, ', '.join(WORKLOADS)))
        bk.build(args.kernel, WORKLOADS[args.workload].flavour)
        m, secs, log = bk.boot(args.kernel, args.workload, args.size,
                               'single')
        for k, v in m.items():
            print('%s %s' % (k, v))
        if '_kfree_batch' in m:
            say('kfree_rcu() went through kfree_batch: ' + m['_kfree_batch'])
        say('LOG     %s (%ds)' % (log, secs))
        sys.exit(0 if m['_done'] and not m['_splats'] else 1)
    elif args.cmd == 'table':
        f = os.path.join(bk.BENCH, 'results-%s-raw.csv' % args.size)
        if not os.path.exists(f):
            die('no results yet: run `make bench SIZE=%s` first' % args.size)
        with open(f) as fh:
            raw = [(int(x[0]), x[1], x[2],
                    x[3] if x[3] == 'cap' else int(x[3]))
                   for x in list(csv.reader(fh))[1:]]
        info = json.load(open(f.replace('-raw.csv', '-info.json')))
        rows = bs.summarise(raw, info['seed'])
        print('\n'.join(bs.table_lines(rows)))
        if args.write:
            md = results_md(rows, info, info['bad'], info['workloads'])
            dests = [f.replace('-raw.csv', '.md')]
            if args.size == 'large' and not info['only'] and \
                    not info.get('ksrc'):
                dests.append(os.path.join(bk.ROOT, 'bench', 'RESULTS.md'))
            for d in dests:
                with open(d, 'w') as fh:
                    fh.write(md)
                say('WROTE   ' + d)


if __name__ == '__main__':
    main()
