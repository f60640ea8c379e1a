#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the benchmark's parser, statistics and goals.

    python3 harness/test_bench.py        (make bench-selftest)
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_stats as bs  # noqa: E402
import bench_workloads as bw  # noqa: E402
import splats  # noqa: E402


def rounds(metric, stock, patched):
    return [(r, k, metric, v) for r, (s, p) in enumerate(zip(stock, patched), 1)
            for k, v in (('stock', s), ('patched', p))]


def row(raw, metric):
    return [r for r in bs.summarise(raw, 1) if r['metric'] == metric][0]


class Stats(unittest.TestCase):
    def test_ratio_of_medians_and_interval(self):
        r = row(rounds('mixed_cpu_ns_per_obj', [100] * 7,
                       [70, 70, 70, 70, 90, 90, 90]), 'mixed_cpu_ns_per_obj')
        self.assertEqual(r['ratio'], 0.7)
        self.assertLessEqual(r['ci'][0], 0.7)
        self.assertGreaterEqual(r['ci'][1], 0.7)
        self.assertEqual(r['met'], 'yes')

    def test_goal_missed_says_no(self):
        r = row(rounds('mixed_cpu_ns_per_obj', [100] * 7, [85] * 7),
                'mixed_cpu_ns_per_obj')
        self.assertEqual(r['met'], 'NO')

    def test_few_rounds_not_judged(self):
        r = row(rounds('mixed_cpu_ns_per_obj', [100] * 3, [10] * 3),
                'mixed_cpu_ns_per_obj')
        self.assertTrue(r['met'].startswith('n/a'))

    def test_zero_goal_on_worst_round(self):
        # An OOM in one round of seven fails "patched = 0".
        r = row(rounds('smallmem_oom', [0] * 7, [0, 0, 0, 1, 0, 0, 0]),
                'smallmem_oom')
        self.assertEqual(r['patched'], 0)
        self.assertEqual(r['met'], 'NO')

    def test_capped_prints_cap_and_no_ratio(self):
        r = row(rounds('sparse_median_ms', ['cap'] * 7, [500] * 7),
                'sparse_median_ms')
        self.assertEqual(bs.fmt(r['stock']), 'cap')
        self.assertIsNone(r['ratio'])
        self.assertTrue(r['met'].startswith('n/a'))

    def test_absolute_goal_scaled(self):
        name = 'collide_objs_per_release_x100'
        r = row(rounds(name, [2800] * 7, [12000] * 6 + [9000]), name)
        self.assertEqual(r['met'], 'NO')      # the worst round: 90 objects
        self.assertEqual(bs.fmt(r['patched'], name), '120')
        r = row(rounds(name, [2800] * 7, [12000] * 7), name)
        self.assertEqual(r['met'], 'yes')

    def test_unlisted_metric_is_in_the_table(self):
        rows = bs.summarise(rounds('mixed-rt_irq_ns_per_obj', [1] * 7,
                                   [1] * 7) +
                            rounds('mixed_cpu_ns_per_obj', [1] * 7, [1] * 7))
        self.assertEqual([r['metric'] for r in rows],
                         ['mixed_cpu_ns_per_obj', 'mixed-rt_irq_ns_per_obj'])


LOG = '''kfree_rcu_bench: metric hold_barrier_ms 12
kfree_rcu_bench: metric hold_exp_gps 3
kfree_rcu_bench: metric hold_held_peak_kb 4000
Total time taken by all kfree'ers: 500000000 ns, loops: 40, batches: 20, memory footprint: 9MB
'''


class Parse(unittest.TestCase):
    def test_rcuscale_total_includes_barrier(self):
        m = bw.parse('rcuscale', LOG)
        self.assertEqual(m['rcuscale_time_ms'], 500)
        self.assertEqual(m['rcuscale_total_ms'], 512)
        self.assertEqual(m['rcuscale_exp_gps'], 3)
        self.assertEqual(m['_done'], 1)

    def test_variant_names(self):
        m = bw.parse('mixed-smp16', 'kfree_rcu_bench: metric mixed_gps 7\n'
                     'kfree_rcu_bench: metric mixed_time_ms 70\n'
                     'kfree_rcu_bench: done\n')
        self.assertEqual(m['mixed-smp16_gps'], 7)
        # Counts only: no time on an overcommitted host.
        self.assertNotIn('mixed-smp16_time_ms', m)

    def test_cap_token_and_negative_values(self):
        m = bw.parse('idle', 'kfree_rcu_bench: metric idle_max_ms cap\n'
                     'kfree_rcu_bench: metric idle_x -1\n')
        self.assertEqual(m['idle_max_ms'], 'cap')
        self.assertEqual(m['idle_x'], -1)
        r = row(rounds('idle_x', [-1] * 7, [-2] * 7), 'idle_x')
        self.assertEqual(bs.fmt(r['stock']), '-1')

    def test_splat_counted(self):
        m = bw.parse('mixed', 'WARNING: CPU: 1 PID: 1 at mm/x.c\n')
        self.assertEqual(m['_splats'], 1)
        self.assertEqual(m['_done'], 0)

    def test_every_goal_metric_is_printed_by_a_workload(self):
        for name, goal, _ in bw.METRICS:
            if goal:
                self.assertTrue(any(name.startswith(w + '_')
                                    for w in bw.TABLE_WORKLOADS), name)


class Splats(unittest.TestCase):
    BEGIN = 'kfree_batch_kunit: expected warnings begin: not freed'
    END = 'kfree_batch_kunit: expected warnings end'
    WARN = ['kfree_batch: kunit: pointer owned by no allocator not freed',
            'WARNING: mm/kfree_batch.c:468 at kfb_leak+0x7c/0xc0']

    def test_expected_warning(self):
        self.assertEqual(splats.splats([self.BEGIN] + self.WARN +
                                       [self.END]), [])

    def test_replayed_begin(self):
        lines = [self.BEGIN, splats.REPLAY, self.BEGIN] + self.WARN + \
            [self.END]
        self.assertEqual(splats.splats(lines), [])

    def test_nested_begin(self):
        lines = [self.BEGIN, self.BEGIN] + self.WARN + [self.END]
        self.assertEqual(len(splats.splats(lines)), 1)

    def test_unexpected_warning(self):
        self.assertEqual(len(splats.splats(self.WARN)), 1)


class Ksrc(unittest.TestCase):
    """make bench KSRC=: stock is kfb-onto, patched the series' branch."""

    def setUp(self):
        import subprocess
        import tempfile
        self.tmp = tempfile.TemporaryDirectory()
        self.tree = self.tmp.name
        env = dict(os.environ, GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@t',
                   GIT_COMMITTER_NAME='t', GIT_COMMITTER_EMAIL='t@t')

        def git(*a):
            return subprocess.run(['git', '-C', self.tree] + list(a),
                                  check=True, capture_output=True, text=True,
                                  env=env).stdout.strip()
        self.git = git
        git('init', '-q')
        git('commit', '-q', '--allow-empty', '-m', 'base')
        self.onto = git('rev-parse', 'HEAD')
        with open(os.path.join(git('rev-parse', '--absolute-git-dir'),
                               'kfb-onto'), 'w') as f:
            f.write(self.onto + '\n')

    def tearDown(self):
        self.tmp.cleanup()

    def onto_of(self, kernel):
        import importlib
        os.environ['KSRC'] = self.tree
        try:
            import bench_kernels
            bk = importlib.reload(bench_kernels)
            return bk.onto_of(kernel), bk.TREE, bk.BENCH
        finally:
            del os.environ['KSRC']
            importlib.reload(bench_kernels)

    def test_stock_and_patched(self):
        self.git('checkout', '-q', '-b', 'kfree_batch-0123456789ab')
        onto, tree, bench = self.onto_of('stock')
        self.assertEqual(onto, self.onto)
        self.assertEqual(tree, self.tree)
        self.assertTrue(bench.endswith('bench-ksrc'))
        self.assertEqual(self.onto_of('patched')[0],
                         'kfree_batch-0123456789ab')

    def test_not_prepared_is_refused(self):
        with self.assertRaises(SystemExit):
            self.onto_of('patched')


if __name__ == '__main__':
    unittest.main(verbosity=2)
