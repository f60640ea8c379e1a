#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""splats.py CONSOLE-LOG: print the kernel splats of a test run; exit 1 if any.

A splat is a WARNING, BUG, Oops, panic, lockdep, KASAN, KFENCE, UBSAN,
debug-objects or might_sleep report, an RCU stall or a hung task.  A test
that provokes warnings on purpose prints

    kfree_batch_kunit: expected warnings begin: TEXT[|TEXT...]
    ...
    kfree_batch_kunit: expected warnings end

around them: there a WARNING or ODEBUG report is allowed when its message
(its own line, or one of the three before or after it, inside the
markers) contains one of the TEXTs;
any other splat there counts.  A begin marker without its end, or a
missing or empty log, is itself a failure.
"""
import re
import sys

SPLAT = re.compile(
    r'WARNING:|BUG:|Oops|Kernel panic|general protection fault|'
    r'possible (recursive|circular) locking|inconsistent lock state|'
    r'suspicious RCU usage|KASAN:|KFENCE:|UBSAN:|ODEBUG:|'
    r'sleeping function called from invalid context|Invalid wait context|'
    r'rcu: INFO: .*detected stall|self-detected stall|detected stalls on CPUs|'
    r'INFO: task .* blocked for more than')
ALLOWED = re.compile(r'WARNING:|ODEBUG:')
BEGIN = re.compile(r'kfree_batch_kunit: expected warnings begin: (.*)$')
END = 'kfree_batch_kunit: expected warnings end'
REPLAY = '** replaying previous printk message **'


def splats(lines):
    found = []
    expected = None          # the TEXTs of the open section, or None
    begin_line = 0
    for i, line in enumerate(lines):
        m = BEGIN.search(line)
        if m:
            # printk replays the last record after a console handover
            # ("** replaying previous printk message **"): the same
            # begin again, not a second section.
            if expected is not None and i > 0 and REPLAY in lines[i - 1] \
                    and lines[i].strip() == lines[begin_line].strip():
                continue
            if expected is not None:
                found.append((i, 'expected-warnings begin inside another (line %d)' % (begin_line + 1)))
            expected = [t for t in m.group(1).strip().split('|') if t]
            begin_line = i
            continue
        if END in line:
            if expected is None:
                found.append((i, 'expected-warnings end without a begin'))
            expected = None
            continue
        if not SPLAT.search(line):
            continue
        if expected is not None and ALLOWED.search(line):
            # The message is printed just before or just after the
            # WARNING line, depending on the kernel; not past a marker.
            context = lines[max(begin_line + 1, i - 3):i + 1]
            for c in lines[i + 1:i + 4]:
                if END in c or BEGIN.search(c):
                    break
                context.append(c)
            if any(t in c for t in expected for c in context):
                continue
        found.append((i, line.rstrip()))
    if expected is not None:
        found.append((begin_line, 'expected-warnings begin without its end: the run stopped inside'))
    return found


def main():
    path = sys.argv[1]
    try:
        with open(path, errors='replace') as f:
            lines = f.readlines()
    except OSError as e:
        print('no console log: %s' % e)
        return 1
    if not lines:
        print('empty console log: %s' % path)
        return 1
    found = splats(lines)
    for i, what in found:
        print('%s:%d: %s' % (path, i + 1, what))
        for c in lines[i + 1:i + 4]:
            print('    ' + c.rstrip())
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
