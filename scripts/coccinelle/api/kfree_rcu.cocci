// SPDX-License-Identifier: GPL-2.0-only
///
/// Use kfree_rcu() instead of call_rcu() with a callback that only frees
/// the object embedding the rcu_head.
///
/// call_rcu(&E->fld, cb) is replaced by kfree_rcu(E, fld) (kvfree_rcu(E, fld)
/// when cb uses kvfree(); both macros are the same) when the whole body of cb
/// is one of
///
///	kfree(container_of(head, T, fld));
///	kvfree(container_of(head, T, fld));
///	kmem_cache_free(cache, container_of(head, T, fld));
///
/// or the same through one local pointer (T *p = container_of(...); kfree(p);,
/// declaration and assignment possibly split), where fld is a direct member
/// of T. kfree_rcu() finds the slab cache from the object itself, so the
/// cache argument of kmem_cache_free() is dropped. The callback and its
/// forward declarations are removed when it is static and no longer used.
///
/// Not converted: callbacks that do anything else (locking, counters,
/// freeing other memory, refcounts, conditionals, kfree_sensitive()),
/// heads in a sub-struct (a.b), frees of another pointer than the enclosing
/// object, a kmem_cache_free() cache argument that is not a plain variable
/// or field access, call_rcu() on a non-pointer (&obj.fld, &arr[i].fld),
/// a pointer whose known type is not the T of the callback, call_rcu() not
/// used as a statement of its own (macro bodies and arguments), callbacks
/// not defined in the file or defined more than once (#ifdef variants),
/// call_rcu_hurry(), the call_rcu_tasks*() flavours other than tasks trace,
/// and anything under kernel/rcu/, whose code and torture/scale tests use
/// call_rcu() on purpose.
///
/// The same callbacks queued after an SRCU or a tasks-trace RCU grace period
/// are converted the same way, to the kfree_batch client of that domain:
///
///	call_srcu(S, &E->fld, cb)		kfree_srcu(S, E, fld)
///	call_rcu_tasks_trace(&E->fld, cb)	kfree_rcu_tasks_trace(E, fld)
///
/// and #include <linux/kfree_srcu.h> is added after the file's last
/// #include <linux/...> line. srcu_barrier() and rcu_barrier_tasks_trace()
/// do not wait for those frees; kfree_srcu_barrier(S) and
/// kfree_rcu_tasks_trace_barrier() do, and cleanup_srcu_struct() waits for
/// them by itself, so report mode adds a note to each such site.
///
/// kfree_rcu() rejects at build time (BUILD_BUG_ON) an rcu_head placed at
/// offset 4096 or more of the object. When the structure is defined in the
/// file and the arrays placed before the head are known to take 4096 bytes
/// or more, the site is not converted; when their size cannot be computed
/// here, report mode adds a note. Note also that rcu_barrier() does not
/// wait for kfree_rcu() batches (kvfree_rcu_barrier() does), while
/// kmem_cache_destroy() waits for those of its own cache by itself
/// (kvfree_rcu_barrier_on_cache()), so report mode only adds a note for
/// callbacks that used kmem_cache_free().
///
// Confidence: High
// Copyright: (C) 2026 The kfree_batch authors.
// Options: --no-includes --include-headers
// Keywords: RCU, SRCU, kfree_rcu, kfree_srcu, call_rcu, call_srcu

virtual patch
virtual context
virtual org
virtual report

// ---------------------------------------------------------------------------
// How the decisions are made
//
// The SmPL rules below only collect facts into Python tables, keyed by file:
// the functions defined in the file, the free-only callbacks, every
// call_rcu() site with the shape of its first argument and, when spatch
// knows it, the type of the object pointer. call_srcu() and
// call_rcu_tasks_trace() sites are call_rcu() sites of another flavour,
// read from the source text at their position (flavour()); the decision is
// the same for every flavour. A call site is converted when
// its callback is a free-only callback with exactly one definition, the head
// is &ptr->fld (or &(ptr->fld)) with the same fld the callback uses, and
// the type of ptr (when known) is the T of the callback's container_of().
// The decision is made once, in decide(), which the match rules (through
// position constraints) and the report/org scripts share.
//
// The rewrite is a single rule (kfr): once a rule has changed a function,
// the positions a later rule sees in that function no longer match those
// recorded earlier, so a second rewriting rule would silently miss sites.
// The sites kfr did rewrite are recorded, and only those count below.
//
// Removing the callback must be safe even where spatch failed to parse a
// function that uses it, or where the use sits in a macro definition, an
// #if 0 block, an initializer or a function-pointer table. So the decision
// is textual: the file is read from disk (the name comes from the position
// of the callback definition), comments are blanked out, and the
// occurrences of the callback name are counted with a word-boundary regex.
// The callback (and its forward declarations) is removed only if it is
// static and that count equals exactly the occurrences accounted for: its
// one definition, the forward declarations matched by SmPL and the call
// sites actually converted. Any other occurrence (direct call, &cb, table
// entry, string, unconverted call_rcu()/call_srcu(), code spatch could not
// parse, ...) keeps it. Non-static callbacks are always kept: another file
// may use them.
// ---------------------------------------------------------------------------

@initialize:python@
@@
import re

_files = {}

def _fs(fname):
    s = _files.get(fname)
    if s is None:
        s = _files[fname] = {
            'defs': set(),   # names of the functions spatch parsed
            'cbs': {},       # free-only callbacks: name -> facts
            'sites': {},     # call_rcu() sites: (line, col) -> facts
            'types': {},     # (line, col) -> type of the object pointer
            'conv': {},      # (line, col) -> callback, sites to convert
            'done': {},      # (line, col) -> callback, sites rewritten
            'protos': {},    # callback -> number of forward declarations
            'big': {},       # struct name -> [(field, array, bytes or None)]
            'code': None,    # file text with comments blanked out
            'lines': None,   # the lines of the file
        }
    return s

_comment_re = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|' +
                         r"'(?:\\.|[^'\\\n])*'", re.S)

def _blank(m):
    t = m.group(0)
    if t.startswith('/'):
        # keep the newlines so that nothing else moves
        return re.sub(r'[^\n]', ' ', t)
    return t

def _code(fname):
    s = _fs(fname)
    if s['code'] is None:
        try:
            with open(fname, errors='replace') as f:
                s['code'] = _comment_re.sub(_blank, f.read())
        except OSError:
            s['code'] = ''
    return s['code']

def _lines(fname):
    s = _fs(fname)
    if s['lines'] is None:
        s['lines'] = _code(fname).split('\n')
    return s['lines']

# Which call a site is: rcu, srcu or tt (call_rcu_tasks_trace()).
def flavour(p):
    lines = _lines(p[0].file)
    i = int(p[0].line) - 1
    text = lines[i][int(p[0].column):] if i < len(lines) else ''
    if text.startswith('call_srcu'):
        return 'srcu'
    if text.startswith('call_rcu_tasks_trace'):
        return 'tt'
    return 'rcu'

_call_name = {'rcu': 'call_rcu()', 'srcu': 'call_srcu()',
              'tt': 'call_rcu_tasks_trace()'}

def count_uses(fname, name):
    return len(re.findall(r'\b%s\b' % re.escape(name), _code(fname)))

def count_text_defs(fname, name):
    # "name(params) {": how many definitions the preprocessor could pick
    pat = r'\b%s\s*\([^;{}()]*\)\s*\{' % re.escape(name)
    return len(re.findall(pat, _code(fname)))

def key(p):
    return (p[0].line, p[0].column)

def norm(t):
    return re.sub(r'\s+', ' ', str(t)).strip()

_pure_re = re.compile(r'^[A-Za-z_][\w\s.>\[\]-]*$')

def pure_cache(c):
    # a cache argument that can be dropped: identifiers, field accesses and
    # constant indexes only (no call, cast or assignment)
    c = str(c)
    return bool(_pure_re.match(c)) and '--' not in c

def add_cb(p, cb, T, fld, fr, typeof_form):
    s = _fs(p[0].file)
    if cb not in s['cbs']:
        s['cbs'][cb] = {'T': norm(T), 'fld': fld, 'fr': fr,
                        'pos': p[0], 'static': False,
                        'typeof': typeof_form}

def add_site(p, cb, form, E='', fld=''):
    s = _fs(p[0].file)
    k = key(p)
    if k not in s['sites']:
        s['sites'][k] = {'cb': cb, 'form': form, 'E': norm(E),
                         'fld': fld, 'pos': p[0], 'fl': flavour(p),
                         'S': ''}

def add_ssp(p, S):
    site = _fs(p[0].file)['sites'].get(key(p))
    if site is not None and not site['S']:
        site['S'] = norm(S)

# Decide one call_rcu() site: returns (verdict, reason) where verdict is
# 'ok' (convert), 'refuse' (worth reporting: cannot or must not convert)
# or 'ignore' (an ordinary callback doing real work).
def decide(p):
    fname = p[0].file
    s = _fs(fname)
    site = s['sites'].get(key(p))
    if site is None:
        return ('ignore', '')
    cb = site['cb']
    info = s['cbs'].get(cb)
    if info is not None and re.search(r'(^|/)kernel/rcu/', fname):
        return ('refuse', 'free-only callback %s, but the RCU code and '
                'its tests use %s on purpose: not converted'
                % (cb, _call_name[site['fl']]))
    if info is None:
        if cb not in s['defs'] and count_text_defs(fname, cb) == 0:
            return ('refuse', 'callback %s is not defined in this file: '
                    'cannot check that it only frees the object' % cb)
        return ('ignore', '')
    ndefs = max(count_text_defs(fname, cb), 1)
    if ndefs > 1:
        return ('refuse', 'callback %s has %d definitions (#ifdef?): '
                'not converted' % (cb, ndefs))
    if site['form'] == 'member':
        return ('refuse', 'free-only callback %s, but the rcu_head is not '
                'reached through a pointer (&obj.%s): not converted'
                % (cb, info['fld']))
    if site['form'] != 'ptr':
        return ('refuse', 'free-only callback %s, but the rcu_head argument '
                'is not of the form &ptr->%s: not converted'
                % (cb, info['fld']))
    if site['fld'] != info['fld']:
        return ('refuse', 'free-only callback %s frees the object around '
                'field %s, but the head passed is %s->%s: not converted'
                % (cb, info['fld'], pretty(site['E']), site['fld']))
    known = head_offset_estimate(s, info['T'], info['fld'])[1]
    if known >= 4096:
        return ('refuse', 'free-only callback %s, but about %d bytes of '
                'arrays precede %s in %s: kfree_rcu() needs an offset '
                '< 4096, not converted' % (cb, known, info['fld'], info['T']))
    U = s['types'].get(key(p))
    if U is not None and not info['typeof'] and U != info['T']:
        return ('refuse', 'free-only callback %s frees a %s, but %s is a '
                '%s *: not converted' % (cb, info['T'], pretty(site['E']), U))
    return ('ok', '')

def site_ok(p):
    return decide(p)[0] == 'ok'

def conv_kind(p):
    s = _fs(p[0].file)
    cb = s['conv'].get(key(p))
    if cb is None:
        return None
    return s['cbs'][cb]['fr']

# No string literals in constraint code: spatch strips the quotes. No
# backslash-escaped quotes in the Python code either, they make spatch
# lose track of strings. And no comment line may start with the word
# that names spatch itself: such a line is read as an options directive.
def conv_to_kfree_rcu(p):
    return flavour(p) == 'rcu' and conv_kind(p) in ('kfree', 'kmem_cache_free')

def conv_to_kvfree_rcu(p):
    return flavour(p) == 'rcu' and conv_kind(p) == 'kvfree'

# kfree_srcu() and kfree_rcu_tasks_trace() free with kvfree(): any kind.
def conv_to_kfree_srcu(p):
    return flavour(p) == 'srcu' and conv_kind(p) is not None

def conv_to_kfree_rcu_tt(p):
    return flavour(p) == 'tt' and conv_kind(p) is not None

# Where <linux/kfree_srcu.h> goes in a file where a call_srcu() or a
# call_rcu_tasks_trace() was rewritten: before the first of these headers
# that the file includes, unless it has it already.
_anchors = ('srcu', 'rcupdate_trace', 'rcupdate', 'slab')

def _include_line(lines, h):
    pat = re.compile(r'^#\s*include\s*<linux/%s\.h>' % h)
    for (i, l) in enumerate(lines):
        if pat.match(l):
            return i
    return None

def needs_kfree_srcu_h(fname):
    s = _fs(fname)
    if not any(site['fl'] != 'rcu' for (k, site) in s['sites'].items()
               if k in s['done'] or k in s['conv']):
        return False
    return _include_line(_lines(fname), 'kfree_srcu') is None

def kfree_srcu_h_anchor(fname):
    lines = _lines(fname)
    for h in _anchors:
        i = _include_line(lines, h)
        if i is not None:
            return i
    return None

def want_kfree_srcu_h(p):
    fname = p[0].file
    if not needs_kfree_srcu_h(fname):
        return False
    return kfree_srcu_h_anchor(fname) == int(p[0].line) - 1

def mark_done(p):
    s = _fs(p[0].file)
    s['done'][key(p)] = s['conv'][key(p)]

# which='conv': sites that patch mode will rewrite (report, org);
# which='done': sites the patch rule did rewrite (patch mode).
def conv_count(fname, cb, which='conv'):
    return sum(1 for v in _fs(fname)[which].values() if v == cb)

# Textual safety check for removing the callback, see the top comment.
def removable(fname, cb, which='conv'):
    s = _fs(fname)
    info = s['cbs'].get(cb)
    if info is None or not info['static']:
        return False
    n = conv_count(fname, cb, which)
    if n == 0 or count_text_defs(fname, cb) != 1:
        return False
    accounted = 1 + s['protos'].get(cb, 0) + n
    return count_uses(fname, cb) == accounted

def extra_uses(fname, cb):
    s = _fs(fname)
    return count_uses(fname, cb) - 1 - s['protos'].get(cb, 0) - \
        conv_count(fname, cb)

# Expressions come from spatch with a space between tokens; make the
# messages look like C again.
def pretty(e):
    e = norm(e)
    e = re.sub(r'\s*(->|\.)\s*', r'\1', e)
    e = re.sub(r'([(\[])\s+', r'\1', e)
    e = re.sub(r'\s+([)\],])', r'\1', e)
    e = re.sub(r'(\w)\s+([(\[])', r'\1\2', e)
    e = re.sub(r'(^|[(\[,]\s*)([*&!~])\s+', r'\1\2', e)
    return e

def strip_parens(e):
    if e.startswith('(') and e.endswith(')'):
        depth = 0
        for i, ch in enumerate(e):
            depth += {'(': 1, ')': -1}.get(ch, 0)
            if depth == 0 and i < len(e) - 1:
                return e
        return e[1:-1]
    return e

_elem_size = {}
for (n, ts) in ((1, 'char signed_char unsigned_char u8 s8 __u8 __s8 bool'),
                (2, 'short u16 s16 __u16 __s16 __be16 __le16'),
                (4, 'int unsigned_int unsigned u32 s32 __u32 __s32 __be32 '
                    '__le32 float'),
                (8, 'long unsigned_long long_long u64 s64 __u64 __s64 '
                    '__be64 __le64 double size_t phys_addr_t dma_addr_t')):
    for t in ts.split():
        _elem_size[t.replace('_', ' ') if t in
                   ('signed_char', 'unsigned_char', 'unsigned_int',
                    'unsigned_long', 'long_long') else t] = n

# Size in bytes of "T1 arr[N]" when both are obvious, None otherwise.
def array_bytes(T1, N):
    t = norm(T1)
    size = 8 if t.endswith('*') else _elem_size.get(t)
    n = norm(N)
    if size is None or not re.match(r'^(0x[0-9a-fA-F]+|\d+)[uUlL]*$', n):
        return None
    return size * int(re.sub(r'[uUlL]+$', '', n), 0)

# Arrays placed before the head in a structure defined in this file:
# ([names of those of unknown size], total bytes of the others).
def head_offset_estimate(s, T, fld):
    arrays = [(a, n) for (f, a, n) in s['big'].get(T, []) if f == fld]
    unknown = [a for (a, n) in arrays if n is None]
    known = sum(n for (a, n) in arrays if n is not None)
    return (unknown, known)

def replacement(p, E, fld):
    kind = conv_kind(p)
    fl = flavour(p)
    ptr = strip_parens(pretty(E))
    if fl == 'srcu':
        S = _fs(p[0].file)['sites'][key(p)]['S']
        return 'kfree_srcu(%s, %s, %s)' % (pretty(S), ptr, fld)
    if fl == 'tt':
        return 'kfree_rcu_tasks_trace(%s, %s)' % (ptr, fld)
    fn = 'kvfree_rcu' if kind == 'kvfree' else 'kfree_rcu'
    return '%s(%s, %s)' % (fn, ptr, fld)

_barrier_note = {
    'srcu': 'srcu_barrier() does not wait for kfree_srcu(): one meant to '
            'flush these frees must become kfree_srcu_barrier(%s) '
            '(cleanup_srcu_struct() waits for them by itself)',
    'tt': 'rcu_barrier_tasks_trace() does not wait for '
          'kfree_rcu_tasks_trace(): one meant to flush these frees must '
          'become kfree_rcu_tasks_trace_barrier()',
}

def emit(p, msg, rep):
    if rep:
        coccilib.report.print_report(p[0], msg)
    else:
        cocci.print_main(msg, p)

def site_messages(pc, E, fld, cb, rep):
    s = _fs(pc[0].file)
    info = s['cbs'][cb]
    fl = flavour(pc)
    msg = '%s with a free-only callback %s: use %s' % \
        (_call_name[fl], cb, replacement(pc, E, fld))
    emit(pc, ('WARNING: ' if rep else '') + msg, rep)
    if fl != 'rcu':
        S = pretty(s['sites'][key(pc)]['S'])
        emit(pc, 'note: ' + (_barrier_note[fl] % S if fl == 'srcu'
                             else _barrier_note[fl]), rep)
        if kfree_srcu_h_anchor(pc[0].file) is None and \
                needs_kfree_srcu_h(pc[0].file):
            emit(pc, 'note: the file includes none of <linux/srcu.h>, '
                 '<linux/rcupdate_trace.h>, <linux/rcupdate.h> and '
                 '<linux/slab.h>: add #include <linux/kfree_srcu.h> by hand',
                 rep)
    elif info['fr'] == 'kmem_cache_free':
        emit(pc, 'note: %s used kmem_cache_free(): kmem_cache_destroy() '
             'waits for kfree_rcu() on its own cache, but an rcu_barrier() '
             'meant to flush these frees must become kvfree_rcu_barrier()'
             % cb, rep)
    (unknown, known) = head_offset_estimate(s, info['T'], fld)
    if unknown or known >= 2048:
        what = ('array(s) %s of unknown size' % ', '.join(unknown)) \
            if unknown else ('about %d bytes of arrays' % known)
        emit(pc, 'note: %s precede(s) %s in %s: kfree_rcu() needs '
             'offsetof(%s, %s) < 4096 (BUILD_BUG_ON otherwise)' %
             (what, fld, info['T'], info['T'], fld), rep)

def refusal_messages(pc, rep):
    s = _fs(pc[0].file)
    (verdict, reason) = decide(pc)
    if verdict == 'ok' and key(pc) not in s['conv']:
        site = s['sites'][key(pc)]
        (verdict, reason) = ('refuse', '%s with free-only callback '
                             '%s is not a plain statement (macro argument?): '
                             'not converted' % (_call_name[site['fl']],
                                                site['cb']))
    if verdict == 'refuse':
        emit(pc, ('INFO: ' if rep else '') + reason, rep)

def callback_messages(pd, cb, rep):
    fname = pd[0].file
    s = _fs(fname)
    if conv_count(fname, cb) == 0 or removable(fname, cb):
        return
    if not s['cbs'][cb]['static']:
        msg = 'callback %s is not static: kept, other files may use it' % cb
    else:
        msg = 'callback %s is still referenced (%d other occurrence(s)): ' \
            'kept' % (cb, extra_uses(fname, cb))
    emit(pd, ('INFO: ' if rep else '') + msg, rep)

// ---------------------------------------------------------------------------
// Every other SmPL rule depends on this one, so spatch's token prefilter
// skips, without parsing them, the files that call none of call_rcu(),
// call_srcu() and call_rcu_tasks_trace(): a whole-tree run parses about
// 300 of 7.3's 64000 files.
// ---------------------------------------------------------------------------

@calls@
@@

(
call_rcu(...)
|
call_srcu(...)
|
call_rcu_tasks_trace(...)
)

// ---------------------------------------------------------------------------
// Facts: function definitions, free-only callbacks, call sites.
// ---------------------------------------------------------------------------

@fndef depends on calls@
identifier f;
position p;
@@

f@p(...) { ... }

@script:python@
f << fndef.f;
p << fndef.p;
@@

_fs(p[0].file)['defs'].add(f)

// The whole body must be one of these shapes, nothing else. The
// typeof(*p) forms come first so that T is the declared type there.
@cbf depends on calls@
identifier cb, h, fld, p;
identifier fr = {kfree, kvfree, kmem_cache_free};
type T, T2;
expression C : script:python() { pure_cache(C) };
position pd;
@@

(
void cb@pd(struct rcu_head *h)
{
	T *p = container_of(h, typeof(*p), fld);
(
	fr(p);
|
	fr(C, p);
)
}
|
void cb@pd(struct rcu_head *h)
{
	T *p;
	p = container_of(h, typeof(*p), fld);
(
	fr(p);
|
	fr(C, p);
)
}
|
void cb@pd(struct rcu_head *h)
{
(
	fr(container_of(h, T, fld));
|
	fr(C, container_of(h, T, fld));
)
}
|
void cb@pd(struct rcu_head *h)
{
	T2 *p = container_of(h, T, fld);
(
	fr(p);
|
	fr(C, p);
)
}
|
void cb@pd(struct rcu_head *h)
{
	T2 *p;
	p = container_of(h, T, fld);
(
	fr(p);
|
	fr(C, p);
)
}
)

@script:python@
cb << cbf.cb;
T << cbf.T;
fld << cbf.fld;
fr << cbf.fr;
pd << cbf.pd;
@@

add_cb(pd, cb, T, fld, fr, str(T).startswith('typeof'))

@cbstatic@
identifier cbf.cb;
position ps;
@@

static void cb@ps(...) { ... }

@script:python@
cb << cbf.cb;
ps << cbstatic.ps;
@@

_fs(ps[0].file)['cbs'][cb]['static'] = True

@proto@
identifier cbf.cb;
position pp;
@@

void cb@pp(...);

@script:python@
cb << cbf.cb;
pp << proto.pp;
@@

s = _fs(pp[0].file)
s['protos'][cb] = s['protos'].get(cb, 0) + 1

// Call sites, most specific shape first (add_site keeps the first one).
@site_ptr depends on calls disable ptr_to_array, fld_to_ptr@
expression E, S;
identifier fld, cb;
position pc;
@@

(
call_rcu@pc(&E->fld, cb)
|
call_rcu@pc(&(E->fld), cb)
|
call_srcu@pc(S, &E->fld, cb)
|
call_srcu@pc(S, &(E->fld), cb)
|
call_rcu_tasks_trace@pc(&E->fld, cb)
|
call_rcu_tasks_trace@pc(&(E->fld), cb)
)

@script:python@
E << site_ptr.E;
fld << site_ptr.fld;
cb << site_ptr.cb;
pc << site_ptr.pc;
@@

add_site(pc, cb, 'ptr', E, fld)

@site_type depends on calls disable ptr_to_array, fld_to_ptr@
type U;
U *E;
expression S;
identifier fld, cb;
position pc;
@@

(
call_rcu@pc(&E->fld, cb)
|
call_rcu@pc(&(E->fld), cb)
|
call_srcu@pc(S, &E->fld, cb)
|
call_srcu@pc(S, &(E->fld), cb)
|
call_rcu_tasks_trace@pc(&E->fld, cb)
|
call_rcu_tasks_trace@pc(&(E->fld), cb)
)

@script:python@
U << site_type.U;
pc << site_type.pc;
@@

_fs(pc[0].file)['types'][key(pc)] = norm(U)

@site_member depends on calls disable ptr_to_array, fld_to_ptr@
expression E, S;
identifier fld, cb;
position pc;
@@

(
call_rcu@pc(&E.fld, cb)
|
call_rcu@pc(&(E.fld), cb)
|
call_srcu@pc(S, &E.fld, cb)
|
call_srcu@pc(S, &(E.fld), cb)
|
call_rcu_tasks_trace@pc(&E.fld, cb)
|
call_rcu_tasks_trace@pc(&(E.fld), cb)
)

@script:python@
cb << site_member.cb;
pc << site_member.pc;
@@

add_site(pc, cb, 'member')

@site_other depends on calls@
expression X, S;
identifier cb;
position pc;
@@

(
call_rcu@pc(X, cb)
|
call_srcu@pc(S, X, cb)
|
call_rcu_tasks_trace@pc(X, cb)
)

@script:python@
cb << site_other.cb;
pc << site_other.pc;
@@

add_site(pc, cb, 'other')

// The srcu_struct argument of call_srcu() sites, for kfree_srcu().
@site_ssp depends on calls@
expression S, X;
identifier cb;
position pc;
@@

call_srcu@pc(S, X, cb)

@script:python@
S << site_ssp.S;
pc << site_ssp.pc;
@@

add_ssp(pc, S)

// ---------------------------------------------------------------------------
// Structures defined here whose head may end up at offset >= 4096.
// ---------------------------------------------------------------------------

@big depends on calls@
identifier s, fld, arr;
type T1, T3;
expression N;
position pb;
@@

struct s@pb { ... T1 arr[N]; ... T3 fld; ... };

@script:python@
s << big.s;
fld << big.fld;
arr << big.arr;
T1 << big.T1;
N << big.N;
pb << big.pb;
@@

_fs(pb[0].file)['big'].setdefault('struct ' + s, []).append(
    (fld, arr, array_bytes(T1, N)))

// ---------------------------------------------------------------------------
// The convertible sites: call_rcu() used as a statement on its own.
// ---------------------------------------------------------------------------

@conv depends on calls disable ptr_to_array, fld_to_ptr@
expression E, S;
identifier fld, cb;
position pc : script:python() { site_ok(pc) };
@@

(
call_rcu@pc(&E->fld, cb);
|
call_rcu@pc(&(E->fld), cb);
|
call_srcu@pc(S, &E->fld, cb);
|
call_srcu@pc(S, &(E->fld), cb);
|
call_rcu_tasks_trace@pc(&E->fld, cb);
|
call_rcu_tasks_trace@pc(&(E->fld), cb);
)

@script:python@
cb << conv.cb;
pc << conv.pc;
@@

_fs(pc[0].file)['conv'][key(pc)] = cb

// One rule for both spellings: once a rule has rewritten a function, the
// positions a later rule sees in that function no longer match the ones
// recorded above. kfree_rcu() parenthesizes its pointer argument, so
// &(E)->fld gives E.
@kfr depends on patch && calls disable ptr_to_array, fld_to_ptr@
expression E, S;
identifier fld, cb;
position p1 : script:python() { conv_to_kfree_rcu(p1) };
position p2 : script:python() { conv_to_kvfree_rcu(p2) };
position p3 : script:python() { conv_to_kfree_srcu(p3) };
position p4 : script:python() { conv_to_kfree_rcu_tt(p4) };
@@

(
- call_rcu@p1(&(E)->fld, cb);
+ kfree_rcu(E, fld);
|
- call_rcu@p1(&E->fld, cb);
+ kfree_rcu(E, fld);
|
- call_rcu@p1(&(E->fld), cb);
+ kfree_rcu(E, fld);
|
- call_rcu@p2(&(E)->fld, cb);
+ kvfree_rcu(E, fld);
|
- call_rcu@p2(&E->fld, cb);
+ kvfree_rcu(E, fld);
|
- call_rcu@p2(&(E->fld), cb);
+ kvfree_rcu(E, fld);
|
- call_srcu@p3(S, &(E)->fld, cb);
+ kfree_srcu(S, E, fld);
|
- call_srcu@p3(S, &E->fld, cb);
+ kfree_srcu(S, E, fld);
|
- call_srcu@p3(S, &(E->fld), cb);
+ kfree_srcu(S, E, fld);
|
- call_rcu_tasks_trace@p4(&(E)->fld, cb);
+ kfree_rcu_tasks_trace(E, fld);
|
- call_rcu_tasks_trace@p4(&E->fld, cb);
+ kfree_rcu_tasks_trace(E, fld);
|
- call_rcu_tasks_trace@p4(&(E->fld), cb);
+ kfree_rcu_tasks_trace(E, fld);
)

@script:python@
p << kfr.p1;
@@

mark_done(p)

@script:python@
p << kfr.p2;
@@

mark_done(p)

@script:python@
p << kfr.p3;
@@

mark_done(p)

@script:python@
p << kfr.p4;
@@

mark_done(p)

// kfree_srcu() and kfree_rcu_tasks_trace() are in <linux/kfree_srcu.h>.
// An include is anchored on a named header: spatch adds after a plain
// #include <...> pattern only at the last include of the file, which may
// follow a #define CREATE_TRACE_POINTS.
@depends on patch@
position pi : script:python() { want_kfree_srcu_h(pi) };
@@

(
+ #include <linux/kfree_srcu.h>
#include <linux/srcu.h>@pi
|
+ #include <linux/kfree_srcu.h>
#include <linux/rcupdate_trace.h>@pi
|
+ #include <linux/kfree_srcu.h>
#include <linux/rcupdate.h>@pi
|
+ #include <linux/kfree_srcu.h>
#include <linux/slab.h>@pi
)

@depends on context@
position conv.pc;
@@

(
* call_rcu@pc(...);
|
* call_srcu@pc(...);
|
* call_rcu_tasks_trace@pc(...);
)

// ---------------------------------------------------------------------------
// Removal of the callback, see the top comment for the textual check.
// ---------------------------------------------------------------------------

@script:python rmok depends on patch@
cb << cbf.cb;
pd << cbf.pd;
rm;
@@

if removable(pd[0].file, cb, 'done'):
    coccinelle.rm = cb
else:
    cocci.include_match(False)

@depends on patch@
identifier rmok.rm;
@@

- void rm(...) { ... }

@depends on patch@
identifier rmok.rm;
@@

- void rm(...);

// ---------------------------------------------------------------------------
// report and org: the same messages, printed by the helpers below.
// ---------------------------------------------------------------------------

@script:python depends on report@
E << conv.E;
fld << conv.fld;
cb << conv.cb;
pc << conv.pc;
@@

site_messages(pc, E, fld, cb, True)

@script:python depends on org@
E << conv.E;
fld << conv.fld;
cb << conv.cb;
pc << conv.pc;
@@

site_messages(pc, E, fld, cb, False)

@script:python depends on report@
pc << site_other.pc;
@@

refusal_messages(pc, True)

@script:python depends on org@
pc << site_other.pc;
@@

refusal_messages(pc, False)

@script:python depends on report@
cb << cbf.cb;
pd << cbf.pd;
@@

callback_messages(pd, cb, True)

@script:python depends on org@
cb << cbf.cb;
pd << cbf.pd;
@@

callback_messages(pd, cb, False)
