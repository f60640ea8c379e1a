#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-result.py JSON STEP EXPECTED: check a KUnit run's cases.

JSON is what kunit.py run --json wrote; STEP names the run (um-plain,
x86_64-plain, ...); EXPECTED is harness/kunit/expected (or -, for a filtered run: no
count, and any skip allowed), which says for
each step how many kfree_batch cases must run (each parameter of a
parameterised case counts as one) and which may skip.  Prints every case
that failed, crashed or skipped, and a last line "P F": the cases that
passed (every suite) and the failures, counting as failures a kfree_batch
count other than the expected one and every skip not allowed.  Exits 1 on
any failure.

kunit-result.py --failed JSON prints the kfree_batch cases that failed or
crashed, one a line (what harness/mutants.sh reports).
"""
import fnmatch
import json
import sys

SUITE = 'kfree_batch'


def leaves(top):
    """(suite, case, status) of every case: a parameterised case's
    parameters are cases of their own, named case/parameter."""
    for suite in top.get('sub_groups', []):
        for c in suite.get('test_cases', []):
            yield suite['name'], c['name'], c['status']
        for param in suite.get('sub_groups', []):
            if not param.get('test_cases'):
                yield suite['name'], param['name'], \
                    'FAIL' if param['misc'].get('failed') else 'SKIP'
            for c in param.get('test_cases', []):
                yield suite['name'], param['name'] + '/' + c['name'], c['status']


def load(path):
    with open(path) as f:
        return list(leaves(json.load(f)))


def expected(path, step):
    if path == '-':
        return None, ['*']
    with open(path) as f:
        for line in f:
            words = line.split('#', 1)[0].split()
            if words and words[0] == step:
                return int(words[1]), words[2:]
    return None, []


def main(argv):
    if argv[1] == '--failed':
        for suite, case, status in load(argv[2]):
            if suite == SUITE and status in ('FAIL', 'ERROR'):
                print('%s%s' % (case, ' (crashed)' if status == 'ERROR' else ''))
        return 0
    path, step, exp_path = argv[1:4]
    try:
        cases = load(path)
    except (OSError, ValueError) as e:
        print('  KUNIT   no results: %s' % e)
        print('0 1')
        return 1
    passed = failed = 0
    ours = [c for c in cases if c[0] == SUITE]
    want, may_skip = expected(exp_path, step)
    for suite, case, status in cases:
        name = '%s.%s' % (suite, case)
        if status == 'PASS':
            passed += 1
        elif status == 'SKIP':
            if suite == SUITE and not any(fnmatch.fnmatch(case, p) for p in may_skip):
                print('  KUNIT   %s: skipped, and %s must run' % (name, step))
                failed += 1
            else:
                print('  KUNIT   %s: skipped (allowed on %s)' % (name, step))
        else:
            print('  KUNIT   %s: %s' % (name, 'crashed' if status == 'ERROR' else 'FAILED'))
            failed += 1
    if exp_path == '-':
        pass
    elif want is None:
        print('  KUNIT   %s: no line for this step in %s' % (step, exp_path))
        failed += 1
    elif len(ours) != want:
        print('  KUNIT   %s: %d kfree_batch cases ran, %d expected (%s)' %
              (step, len(ours), want, exp_path))
        failed += 1
    else:
        print('  KUNIT   %s: %d kfree_batch cases ran, as expected' % (step, want))
    print('%d %d' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
