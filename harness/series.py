#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the `series` file and turn it into git commits in a kernel tree.

The series file holds one stanza per commit, in order:

    Subject: mm: one line summary
    Files: new/file/one.c new/file/two.h
    Patches: patches/01-some-edit.patch

    The commit message body, as it will appear in git.

    Signed-off-by: Name <mail>
    ---

`Files:` lists new files at their kernel paths (copied from this
repository), `Patches:` lists -p1 patches for upstream files (git
format-patch files; their own headers are ignored by git apply).  Both
headers may continue on indented lines.  A line of three dashes ends a
stanza.  A patch file is named after its commit's number (01-, 02-, ...;
03a-, 03b-, ... where a commit has several).

Commands:
    series.py check                  every kernel-path file is in one stanza
    series.py stamp                  hash of everything the series depends on
    series.py apply TREE [--branch B] [--onto REV]
                                     commit the series onto REV (default base)
    series.py list                   one line per commit
"""

import hashlib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Files of the repository that are not part of the kernel series.
NOT_KERNEL = ('harness/', 'patches/', '.ci/', '.gitignore', 'README.md', 'wip/',
              'Makefile', 'series', 'bench/', 'LICENSE')


def die(msg):
    print('kfree_batch: error: ' + msg, file=sys.stderr)
    sys.exit(1)


def parse(path=None):
    path = path or os.path.join(ROOT, 'series')
    stanzas, cur, body, in_body, last = [], None, [], False, None
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if cur is None:
                if not line.strip() or line.startswith('#'):
                    continue
                cur = {'Subject': '', 'Files': [], 'Patches': [],
                       'line': lineno}
                body, in_body = [], False
            if line == '---':
                if not cur['Subject']:
                    die('series:%d: stanza without Subject:' % cur['line'])
                cur['body'] = '\n'.join(body).strip('\n')
                stanzas.append(cur)
                cur = None
                continue
            if in_body:
                body.append(line)
                continue
            if not line.strip():
                in_body = True
                continue
            m = re.match(r'^(Subject|Files|Patches):\s*(.*)$', line)
            if m:
                last = m.group(1)
                if last == 'Subject':
                    cur['Subject'] = m.group(2).strip()
                else:
                    cur[last] += m.group(2).split()
            elif line[0] in ' \t' and last in ('Files', 'Patches'):
                cur[last] += line.split()
            else:
                die('series:%d: unexpected header line: %s' % (lineno, line))
    if cur is not None:
        die('series:%d: stanza not ended by a "---" line' % cur['line'])
    return stanzas


def tracked_files():
    out = subprocess.run(['git', 'ls-files', '--cached', '--others',
                          '--exclude-standard'], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    return sorted(set(out))


def kernel_files():
    return [f for f in tracked_files()
            if not f.startswith(NOT_KERNEL) and os.path.exists(
                os.path.join(ROOT, f))]


def check(stanzas):
    owner, errors = {}, []
    for i, s in enumerate(stanzas, 1):
        for j, f in enumerate(s['Patches']):
            want = '%02d%s-' % (i, chr(ord('a') + j)
                                if len(s['Patches']) > 1 else '')
            if not os.path.basename(f).startswith(want):
                errors.append('%s is patch %d of commit %d: name it %s...'
                              % (f, j + 1, i, want))
        for f in s['Files'] + s['Patches']:
            if f in owner:
                errors.append('%s is in commits %d and %d' % (f, owner[f], i))
            owner[f] = i
            if not os.path.isfile(os.path.join(ROOT, f)):
                errors.append('commit %d names %s, which does not exist'
                              % (i, f))
    for f in kernel_files():
        if f not in owner:
            errors.append('%s belongs to no commit of the series' % f)
    for f in tracked_files():
        if f.startswith('patches/') and f.endswith('.patch') and f not in owner:
            errors.append('%s belongs to no commit of the series' % f)
    if errors:
        die('series file:\n  ' + '\n  '.join(errors))


def stamp(stanzas):
    h = hashlib.sha256()
    for p in ['series', 'harness/series.py'] + [
            f for s in stanzas for f in s['Files'] + s['Patches']]:
        h.update(p.encode() + b'\0')
        with open(os.path.join(ROOT, p), 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def git(tree, *args, **kw):
    return subprocess.run(['git', '-C', tree] + list(args), check=True,
                          text=True, capture_output=True, **kw).stdout


def author_of(s):
    m = re.search(r'^Signed-off-by:\s*(.+?)\s*<(.+?)>\s*$', s['body'], re.M)
    if not m:
        die('commit "%s" has no Signed-off-by line' % s['Subject'])
    return m.group(1), m.group(2)


def explain_failed_patch(tree, patch):
    """Name the file and the hunk of a patch that does not apply."""
    r = subprocess.run(['patch', '-p1', '--dry-run', '-f', '-F0', '-i', patch],
                       cwd=tree, text=True, capture_output=True)
    cur = '?'
    for line in (r.stdout + r.stderr).splitlines():
        m = re.match(r'^(?:patching|checking) file (.+)$', line)
        if m:
            cur = m.group(1)
        if 'FAILED' in line or "can't find file" in line:
            print('  %s: %s: %s' % (os.path.relpath(patch, ROOT), cur, line),
                  file=sys.stderr)


def snapshot(tree):
    """mtime and hash of every file the old series changed."""
    snap = {}
    try:
        names = git(tree, 'diff', '--name-only', 'base', 'HEAD').split()
    except subprocess.CalledProcessError:
        return snap
    for n in names:
        p = os.path.join(tree, n)
        if os.path.isfile(p):
            with open(p, 'rb') as f:
                snap[n] = (hashlib.sha1(f.read()).digest(), os.stat(p))
    return snap


def restore_mtimes(tree, snap):
    """Keep the old mtime of unchanged files so that kbuild rebuilds only
    what the new series really changed."""
    for n, (digest, st) in snap.items():
        p = os.path.join(tree, n)
        if os.path.isfile(p):
            with open(p, 'rb') as f:
                if hashlib.sha1(f.read()).digest() == digest:
                    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))


def apply(stanzas, tree, branch, onto, root=ROOT, checkout=True):
    snap = snapshot(tree) if onto == 'base' else {}
    if not checkout:
        # The caller has checked out the tree (harness/bench.py).
        pass
    elif onto == 'base':
        # Our own tree: reset it whole.
        git(tree, 'checkout', '-q', '-f', '-B', branch, onto)
        git(tree, 'clean', '-q', '-f', '-d')
    else:
        # A maintainer's tree (KSRC, checked clean by the caller): a new
        # branch, and nothing else touched, untracked files included.
        git(tree, 'checkout', '-q', '-b', branch, onto)
    for i, s in enumerate(stanzas, 1):
        print('  COMMIT  %d/%d %s' % (i, len(stanzas), s['Subject']))
        for f in s['Files']:
            try:
                git(tree, 'cat-file', '-e', '%s:%s' % (onto, f))
                die('%s would shadow the upstream file of the same name: '
                    'edit upstream files with a patch under patches/' % f)
            except subprocess.CalledProcessError:
                pass
            dst = os.path.join(tree, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(os.path.join(root, f), 'rb') as src, \
                    open(dst, 'wb') as out:
                out.write(src.read())
            git(tree, 'add', '-f', f)
        for p in s['Patches']:
            patch = os.path.join(root, p)
            r = subprocess.run(['git', '-C', tree, 'apply', '--index',
                                '--whitespace=error-all', patch],
                               text=True, capture_output=True)
            if r.returncode:
                sys.stderr.write(r.stderr)
                explain_failed_patch(tree, patch)
                die('%s does not apply (commit %d, "%s")'
                    % (p, i, s['Subject']))
        name, mail = author_of(s)
        env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=mail,
                   GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=mail)
        msg = s['Subject'] + '\n\n' + s['body'] + '\n'
        subprocess.run(['git', '-C', tree, 'commit', '-q', '--no-verify',
                        '-F', '-'], input=msg, text=True, check=True, env=env)
    restore_mtimes(tree, snap)


def main():
    if len(sys.argv) < 2:
        die('usage: series.py check|stamp|list|apply TREE')
    stanzas = parse()
    cmd = sys.argv[1]
    if cmd == 'check':
        check(stanzas)
    elif cmd == 'stamp':
        print(stamp(stanzas))
    elif cmd == 'list':
        for i, s in enumerate(stanzas, 1):
            print('%d %s' % (i, s['Subject']))
    elif cmd == 'apply':
        args = sys.argv[2:]
        tree, branch, onto = args[0], 'kfree_batch', 'base'
        if '--branch' in args:
            branch = args[args.index('--branch') + 1]
        if '--onto' in args:
            onto = args[args.index('--onto') + 1]
        check(stanzas)
        apply(stanzas, tree, branch, onto)
    else:
        die('unknown command %s' % cmd)


if __name__ == '__main__':
    main()
