# SPDX-License-Identifier: GPL-2.0
"""The benchmark's statistics and its table.

Per metric and kernel, the median over rounds.  A value "cap" is a capped
figure (a percentile over objects of which none was released): it sorts
above every value and prints as "cap", and a ratio with a capped side is
not computed.  The ratio is patched/stock of the medians, with a 95%
bootstrap interval: rounds are resampled with replacement, a round's two
kernels together, and the interval is the 2.5th to 97.5th percentile of
the resampled ratios.  Goals on the ratio are judged on the ratio of the
medians, "patched = 0" and "patched >= x" goals on the worst round; a
goal is judged only with GOAL_ROUNDS rounds or more.
"""

import math
import random
import statistics

from bench_workloads import GOAL_ROUNDS, METRICS

CAP = float('inf')
BOOTSTRAP = 2000


def value(v):
    return CAP if v == 'cap' else v


def ratio(p, s):
    if p == CAP or s == CAP:
        return None
    if s == 0:
        return 1.0 if p == 0 else CAP
    return p / s


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(math.floor(q * len(xs)))))]


def bootstrap(stock, patched, rng):
    """95% interval of the ratio of medians, rounds resampled in pairs."""
    n = len(stock)
    rs = []
    for _ in range(BOOTSTRAP):
        idx = [rng.randrange(n) for _ in range(n)]
        r = ratio(statistics.median([patched[i] for i in idx]),
                  statistics.median([stock[i] for i in idx]))
        if r is None:
            return None
        rs.append(r)
    return percentile(rs, 0.025), percentile(rs, 0.975)


def scaled(name, x):
    """Display value: metrics named *_x100 are hundredths."""
    if x == CAP or not name.endswith('_x100'):
        return x
    return x / 100


def goal_met(goal, row):
    if not goal:
        return ''
    if row['rounds'] < GOAL_ROUNDS:
        return 'n/a (%d rounds)' % row['rounds']
    if goal == 'patched = 0':
        return 'yes' if row['patched_worst'] == 0 else 'NO'
    op, v = goal.split()[-2:]
    if goal.startswith('patched'):
        x = scaled(row['metric'], row['patched_worst'])
    else:
        x = row['ratio']
        if x is None:
            return 'n/a (capped)'
    ok = x <= float(v) if op == '<=' else x >= float(v)
    return 'yes' if ok else 'NO'


def order(metrics):
    """METRICS first, in their order, then the others by name."""
    known = [m for m, _, _ in METRICS]
    return ([m for m in known if m in metrics] +
            sorted(m for m in metrics if m not in known))


def summarise(raw, seed=0):
    """raw: (round, kernel, metric, value) tuples.  The table's rows."""
    goals = {m: (g, w) for m, g, w in METRICS}
    per = {}
    for rnd, kernel, metric, v in raw:
        per.setdefault(metric, {}).setdefault(rnd, {})[kernel] = value(v)
    rng = random.Random(seed)
    rows = []
    for name in order(per):
        rounds = [r for r in sorted(per[name]) if len(per[name][r]) == 2]
        if not rounds:
            continue
        st = [per[name][r]['stock'] for r in rounds]
        pa = [per[name][r]['patched'] for r in rounds]
        goal, what = goals.get(name, ('', ''))
        row = dict(metric=name, what=what, goal=goal,
                   stock=statistics.median(st), patched=statistics.median(pa),
                   rounds=len(rounds), patched_worst=max(pa))
        if goal.startswith('patched >='):
            row['patched_worst'] = min(pa)
        row['ratio'] = ratio(row['patched'], row['stock'])
        row['ci'] = (bootstrap(st, pa, rng)
                     if row['ratio'] is not None and len(rounds) > 1
                     else None)
        row['met'] = goal_met(goal, row)
        rows.append(row)
    return rows


def fmt(x, name='', inf='cap'):
    """A value ("cap" when capped), or a ratio (inf='inf')."""
    if x is None:
        return '-'
    x = scaled(name, x)
    if x == CAP:
        return inf
    if isinstance(x, float):
        if x == int(x) and abs(x) >= 10:
            return str(int(x))
        return '%.2f' % x
    return str(x)


def label(name):
    """The name a metric has in the table: *_x100 are shown divided."""
    return name[:-len('_x100')] if name.endswith('_x100') else name


def table_lines(rows):
    hdr = ('metric', 'stock', 'patched', 'ratio', '95% CI', 'rounds', 'goal',
           'met')
    lines = [hdr]
    for r in rows:
        ci = ('%s-%s' % (fmt(r['ci'][0], inf='inf'),
                         fmt(r['ci'][1], inf='inf'))
              if r['ci'] else '-')
        lines.append((label(r['metric']), fmt(r['stock'], r['metric']),
                      fmt(r['patched'], r['metric']),
                      fmt(r['ratio'], inf='inf'), ci,
                      str(r['rounds']), r['goal'] or '-', r['met'] or '-'))
    w = [max(len(x[i]) for x in lines) for i in range(len(hdr))]
    out = []
    for i, ln in enumerate(lines):
        out.append('| ' + ' | '.join(c.ljust(w[j]) for j, c in enumerate(ln))
                   + ' |')
        if i == 0:
            out.append('|' + '|'.join('-' * (x + 2) for x in w) + '|')
    return out
