#!/usr/bin/env python3
# gen-object.py: generates the I/O methods of a user-facing object (or a
# set of free functions) from a JSON description, the way gen-provider.py
# generates provider interfaces.
#
#   gen-object.py SPEC.json OUT.h OUT.c
#
# Every operation becomes three public functions: the sync form, `_async`
# and `_finish`, with gi-docgen comments. They all take the same arguments.
# The sync form validates, looks up the provider and calls the provider's
# sync wrapper (hero_virt_<kind>_provider_<op>); `_async` validates first
# (errors are reported through the task), then forwards to the provider's
# async wrapper (hero_virt_<kind>_provider_<op>_async) and completes its own
# GTask, with the object as source. No object runs a worker thread of its
# own: a sync-only provider is served from a thread by the provider wrapper.
#
# The object JSON format
# ----------------------
#
#   {
#     "object": "Disk",                 HeroVirtDisk, methods hero_virt_disk_*;
#                                       or, for free functions:
#     "prefix": "image",                functions hero_virt_image_*, no self,
#                                       task source %NULL
#     "provider": "disk-provider.json", the provider JSON (beside this file);
#                                       kind and types come from it
#     "since": "0.1",
#     "includes": ["hero-virt-disk-private.h"],
#                                       extra includes of the generated .c:
#                                       the private header declaring the
#                                       object struct and the hooks below
#     "executor": "self->executor",     C expression: where commands run
#                                       (NULL means the default executor)
#     "executor_owned": false,          true when that expression returns a
#                                       new reference
#     "lookup": "_hero_virt_disk_lookup_provider",
#                                       optional hook: Provider *fn (Self *,
#                                       GCancellable *, GError **) returning a
#                                       new reference; the default is
#                                       hero_virt_registry_find_provider
#                                       (default registry, kind, NULL, the
#                                       executor, …)
#     "check": "_hero_virt_disk_check_path",
#                                       optional: gboolean fn (Self *, GError **)
#                                       run first by every operation
#     "state": ["self->path"],          provider arguments that come from the
#                                       object, passed before the operation's
#                                       own (unless an op gives "provider_args")
#     "prepare": "fn",                  optional hook run after the lookup and
#                                       before the call: gboolean fn (Self *,
#                                       Provider *, GCancellable *, GError **)
#                                       and, for the async forms,
#                                       void fn_async (Self *, Provider *,
#                                       GCancellable *, GAsyncReadyCallback,
#                                       gpointer) / gboolean fn_finish (Self *,
#                                       GAsyncResult *, GError **); a failing
#                                       prepare cleans up after itself
#     "finally": "stmt",                optional C statement run after the
#                                       call (success or not) when "prepare"
#                                       succeeded, e.g. to give back a lock
#     "on_error": "stmt",               optional C statement run on every error
#                                       after the precondition checks, with
#                                       `self`, the arguments and `error`
#                                       (GError **, may be NULL in the sync
#                                       form) in scope, e.g. to name the step
#                                       that failed
#     "ops": [ … ]
#   }
#
# Each op:
#
#   {
#     "name": "snapshot_create",        the method name (same as the provider
#                                       operation unless "call" says otherwise)
#     "call": "snapshot_create",        the provider operation to call
#     "doc": "…",                       defaults to the provider operation's
#     "args": [["name", "string", "the snapshot's name"]],
#                                       the method's arguments: name, type (the
#                                       provider JSON syntax: string, string?,
#                                       object:Type, object?:Type, strv, bytes,
#                                       uint64, int, bool, …), doc; defaults to
#                                       the provider operation's arguments after
#                                       the "state" ones
#     "validate": {"name": "hero_virt_validate_snapshot_name"},
#                                       per argument (or local): one validator
#                                       or a list, each gboolean fn (value,
#                                       GError **); a nullable value is only
#                                       validated when set
#     "check": "fn",                    optional hand-written check of the whole
#                                       call: gboolean fn (Self *, args…,
#                                       GError **) (no Self for free functions);
#                                       or {"func": "fn", "args": ["a", "b"]}
#                                       to pass only some (C expressions), or
#                                       a list of either
#     "locals": [["options", "object:HeroVirtDiskCreateOptions",
#                 "hero_virt_disk_create_options_new (size)"]],
#                                       values computed after "prepare", owned
#                                       by the call (kept until it completes):
#                                       name, type, C expression (arguments,
#                                       `self` and `error` in scope); a type
#                                       starting with `&` is borrowed,
#                                       `raw:CTYPE:FREEFUNC` is any C type; a
#                                       4th element "fallible" means %NULL is
#                                       a failure with `error` set
#     "provider_args": ["self->path", "options"],
#                                       C expressions for the provider
#                                       operation's arguments after the
#                                       executor (default: "state" + the
#                                       provider's own argument names, which
#                                       then name arguments or locals)
#     "returns": "object:HeroVirtDisk", the method's result (default: the
#                                       provider's); `self` returns the object
#                                       itself (transfer none) from the sync
#                                       form and a gboolean from _finish
#     "returns_doc": "…",
#     "post": "expr",                   C expression giving the method's
#                                       result from the provider's, evaluated
#                                       on success with the arguments, the
#                                       locals, `result` (the provider's result,
#                                       owned by the expression) and `error` in
#                                       scope
#     "prepare", "finally", "on_error": per-op versions of the above
#   }
#
# Hooks are ordinary C functions in the hand-written source, declared in a
# private header that the generated source includes (with the object's
# struct, so expressions like `self->path` work). The order of a call:
# precondition checks (g_return_if_fail: the object, non-nullable pointers,
# object types), the object "check", argument validators, the op "check",
# provider lookup, "prepare", the executor, locals, local validators, the
# provider call, "post", "finally"; "on_error" on any failure after the
# preconditions. The async forms keep their arguments and locals in a
# typed struct per operation (HeroVirt<Object><Op>Call) until they finish.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import importlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
gp = importlib.import_module('gen-provider')
snake = gp.snake
wrap_doc = gp.wrap_doc
ArgType = gp.ArgType


def upper_macro(type_name):
    # HeroVirtDiskCreateOptions -> HERO_VIRT_IS_DISK_CREATE_OPTIONS
    s = snake(type_name[len('HeroVirt'):]).upper()
    return 'HERO_VIRT_IS_' + s, 'HERO_VIRT_' + s


def decl(ctype, name):
    return ctype + ('' if ctype.endswith('*') else ' ') + name


def arg_doc(t, doc):
    # Unlike provider vfuncs, methods keep (type filename): PyGObject calls
    # them fine. Annotations end with a colon; a doc may carry its own.
    ann = t.annotations()
    if doc.startswith('('):
        own, _, rest = doc.partition(':')
        ann = ' '.join(x for x in (ann, own) if x)
        doc = rest.strip()
    return '%s: %s' % (ann, doc) if ann else doc


class Ret:
    """An object or provider result type (the provider syntax, plus `self`)."""

    def __init__(self, spec, self_type=None):
        self.base, _, self.param = spec.partition(':')
        self.self_type = self_type
        if self.base == 'self':
            self.rt = None
        else:
            self.rt = gp.RetType(spec)

    @property
    def ctype(self):
        return self.self_type + ' *' if self.base == 'self' else self.rt.ctype

    @property
    def finish_ctype(self):
        return 'gboolean' if self.base == 'self' else self.rt.ctype

    @property
    def is_bool(self):
        return self.base == 'bool'

    @property
    def task_bool(self):
        return self.base in ('bool', 'self')

    def fail(self):
        return 'FALSE' if self.is_bool else 'NULL'

    def finish_fail(self):
        return 'FALSE' if self.task_bool else 'NULL'

    def annotation(self, finish=False):
        if self.base == 'self':
            return '' if finish else '(transfer none) (nullable)'
        return self.rt.annotation()

    def free_func(self):
        return self.rt.free_func()


class Local:
    def __init__(self, spec):
        name, tspec, expr = spec[:3]
        self.fallible = 'fallible' in spec[3:]
        self.name = name
        self.expr = expr
        self.borrowed = tspec.startswith('&')
        tspec = tspec.lstrip('&')
        if tspec.startswith('raw:'):
            _, ctype, free = tspec.split(':', 2)
            self.t = None
            self.ctype = ctype
            self.fieldtype = ctype
            self.freefn = free or None
            self.nullable = True
        else:
            self.t = ArgType(tspec)
            self.nullable = self.t.nullable
            self.ctype = self.t.fieldtype if not self.borrowed else self.t.ctype
            self.fieldtype = self.ctype
            self.freefn = None

    def free(self, expr):
        if self.borrowed:
            return None
        if self.t is None:
            return 'g_clear_pointer (&%s, %s);' % (expr, self.freefn) if self.freefn else None
        return self.t.free(expr)

    def as_arg(self, expr):
        # A char ** local is passed where the provider wants const char * const *.
        if self.t is not None and self.t.base == 'strv':
            return '(const char *const *) ' + expr
        return expr


def main():
    spec_path, out_h, out_c = sys.argv[1:4]
    with open(spec_path) as f:
        spec = json.load(f)
    with open(os.path.join(os.path.dirname(spec_path), spec['provider'])) as f:
        pspec = json.load(f)

    since = spec.get('since', '0.1')
    is_object = 'object' in spec
    if is_object:
        Obj = spec['object']
        SelfT = 'HeroVirt' + Obj
        prefix = 'hero_virt_' + snake(Obj)
        IS_SELF, CAST_SELF = upper_macro(SelfT)
        docref = lambda n: '[method@HeroVirt.%s.%s]' % (Obj, n)
    else:
        SelfT = None
        prefix = 'hero_virt_' + spec['prefix']
        docref = lambda n: '[func@HeroVirt.%s_%s]' % (spec['prefix'], n)

    PName = pspec['name']
    ProvT = 'HeroVirt' + PName
    pprefix = 'hero_virt_' + snake(PName)
    _, PROV_CAST = upper_macro(ProvT)
    kind = 'HERO_VIRT_PROVIDER_KIND_' + pspec['kind'].upper()
    pops = {op['name']: op for op in pspec['ops']}
    state = spec.get('state', [])
    executor_expr = spec['executor']
    executor_owned = spec.get('executor_owned', False)
    lookup = spec.get('lookup')
    obj_check = spec.get('check')

    base = os.path.basename(out_h)[:-2]
    src_name = os.path.basename(spec_path)

    h = []
    c = []
    h.append('/* %s.h: generated from %s by gen-object.py; do not edit.\n *\n'
             ' * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (base, src_name))
    h.append('#pragma once\n')
    h.append('#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)\n'
             '#error "Only <hero-virt.h> can be included directly."\n#endif\n')
    h.append('#include "hero-virt-types.h"\n#include "hero-virt-executor.h"')
    h.append('#include "hero-virt-%s.h"' % snake(PName).replace('_', '-'))
    for inc in spec.get('header_includes', []):
        h.append('#include "%s"' % inc)
    h.append('\nG_BEGIN_DECLS\n')

    c.append('/* %s.c: generated from %s by gen-object.py; do not edit.\n *\n'
             ' * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (base, src_name))
    c.append('#include "config.h"\n\n#include "hero-virt-private.h"')
    for inc in spec.get('includes', []):
        c.append('#include "%s"' % inc)
    c.append('')

    # The provider lookup every operation shares.
    lookup_params = ('%s *self' % SelfT) if is_object else 'HeroVirtExecutor *executor'
    c.append('static %s *\n%s_lookup_provider (%s,\n    GCancellable *cancellable,\n    GError **error)\n{' %
             (ProvT, base.replace('-', '_'), lookup_params))
    if lookup:
        c.append('  return %s (%s, cancellable, error);\n}\n' % (lookup, 'self' if is_object else 'executor'))
    else:
        c.append('  GObject *provider = hero_virt_registry_find_provider (hero_virt_registry_get_default (),\n'
                 '      %s, NULL, %s, cancellable, error);\n\n'
                 '  return provider != NULL ? %s (provider) : NULL;\n}\n' %
                 (kind, 'executor' if not is_object else executor_expr, PROV_CAST))
    lookup_fn = base.replace('-', '_') + '_lookup_provider'

    for op in spec['ops']:
        n = op['name']
        call = op.get('call', n)
        pop = pops[call]
        pargs_spec = pop.get('args', [])
        if 'args' in op:
            args = op['args']
        else:
            args = pargs_spec[len(state):]
        args = [(a[0], ArgType(a[1]), a[2] if len(a) > 2 else '') for a in args]
        locals_ = [Local(l) for l in op.get('locals', [])]
        local_names = {l.name: l for l in locals_}
        pret = gp.RetType(pop.get('returns', 'bool'))
        ret = Ret(op.get('returns', pop.get('returns', 'bool')), SelfT)
        post = op.get('post')
        if ret.base != pret.base and post is None and ret.base != 'self':
            raise SystemExit('%s: op %s returns %s, the provider %s: it needs a "post"' %
                             (spec_path, n, ret.base, pret.base))
        if ret.base == 'self' and post is None:
            if not pret.is_bool:
                raise SystemExit('%s: op %s returns self from a %s: it needs a "post"' %
                                 (spec_path, n, pret.base))
            post = 'self'
        pargs = op.get('provider_args', state + [a[0] for a in pargs_spec[len(state):]])
        if len(pargs) != len(pargs_spec):
            raise SystemExit('%s: op %s passes %d provider arguments, %s takes %d' %
                             (spec_path, n, len(pargs), call, len(pargs_spec)))
        prepare = op.get('prepare', spec.get('prepare'))
        finally_stmt = op.get('finally', spec.get('finally')) if prepare else None
        on_error = op.get('on_error', spec.get('on_error'))
        validate = op.get('validate', {})
        op_check = op.get('check')
        doc = op.get('doc', pop.get('doc', ''))
        ret_doc = op.get('returns_doc') or (
            '@self, or %NULL on error' if ret.base == 'self' else
            pop.get('returns_doc', '%TRUE on success' if ret.is_bool else 'the result, or %NULL on error')
            if ret.base == pret.base else 'the result, or %NULL on error')
        finish_ret_doc = '%TRUE on success' if ret.base == 'self' else ret_doc

        fn = '%s_%s' % (prefix, n)
        Data = (SelfT or 'HeroVirt' + ''.join(p.capitalize() for p in spec['prefix'].split('_'))) + \
            ''.join(p.capitalize() for p in n.split('_')) + 'Call'

        def plist(indent='    '):
            return ''.join(',\n%s%s' % (indent, decl(t.ctype, nm)) for nm, t, _ in args)

        self_param = ('%s *self' % SelfT) if is_object else None

        def sig(name, tail):
            ps = ([self_param] if self_param else []) + [decl(t.ctype, nm) for nm, t, _ in args] + tail
            return '%s (%s)' % (name, ',\n    '.join(ps))

        sync_tail = ['GCancellable *cancellable', 'GError **error']
        async_tail = ['GCancellable *cancellable', 'GAsyncReadyCallback callback', 'gpointer user_data']
        finish_params = ([self_param] if self_param else []) + ['GAsyncResult *result', 'GError **error']

        # ---- header
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\n%s %s;' % (ret.ctype, sig(fn, sync_tail)))
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\nvoid %s;' % sig(fn + '_async', async_tail))
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\n%s %s_finish (%s);\n' %
                 (ret.finish_ctype, fn, ',\n    '.join(finish_params)))

        # ---- shared pieces
        def arg_docs():
            out = []
            for nm, t, d in args:
                out.append(' * @%s: %s' % (nm, arg_doc(t, d)))
            return ''.join('\n' + l for l in out)

        def precondition(fail):
            out = []
            if is_object:
                out.append('  g_return%s_if_fail (%s (self)%s);' % ('_val' if fail else '', IS_SELF,
                                                                    ', ' + fail if fail else ''))
            for nm, t, _ in args:
                cond = None
                if t.base == 'object' and t.param:
                    cond = '%s (%s)' % (upper_macro(t.param)[0], nm)
                    if t.nullable:
                        cond = '%s == NULL || %s' % (nm, cond)
                elif t.check():
                    cond = t.check() % nm
                if cond:
                    out.append('  g_return%s_if_fail (%s%s);' % ('_val' if fail else '', cond,
                                                                ', ' + fail if fail else ''))
            return '\n'.join(out)

        def self_arg():
            return 'self, ' if is_object else ''

        def arg_names():
            return ''.join('%s, ' % nm for nm, _, _ in args)

        def checks(err):
            """Conditions that must all hold, in order (each sets err)."""
            conds = []
            if obj_check:
                conds.append('%s (%s%s)' % (obj_check, self_arg(), err))
            for nm, t, _ in args:
                fns = validate.get(nm)
                if fns is None:
                    continue
                for v in ([fns] if isinstance(fns, str) else fns):
                    if t.nullable:
                        conds.append('(%s == NULL || %s (%s, %s))' % (nm, v, nm, err))
                    else:
                        conds.append('%s (%s, %s)' % (v, nm, err))
            for chk in ([op_check] if isinstance(op_check, (str, dict)) else op_check or []):
                if isinstance(chk, dict):
                    conds.append('%s (%s)' % (chk['func'], ''.join('%s, ' % a for a in chk['args']) + err))
                else:
                    conds.append('%s (%s%s%s)' % (chk, self_arg(), arg_names(), err))
            return conds

        def local_checks(err, ref=lambda nm: nm):
            conds = []
            for nm, fns in validate.items():
                if nm not in local_names:
                    continue
                l = local_names[nm]
                for v in ([fns] if isinstance(fns, str) else fns):
                    if l.nullable:
                        conds.append('(%s == NULL || %s (%s, %s))' % (ref(nm), v, ref(nm), err))
                    else:
                        conds.append('%s (%s, %s)' % (v, ref(nm), err))
            return conds

        def provider_call_args(ref=lambda x: x):
            out = []
            for expr in pargs:
                if expr in local_names:
                    out.append(local_names[expr].as_arg(ref(expr)))
                else:
                    out.append(expr)
            return ''.join(', %s' % e for e in out)

        # ---- sync
        c.append('''/**
 * %(fn)s:%(self_doc)s%(argdocs)s
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
%(doc)s
 *
 * Returns: %(ret_ann)s%(ret_doc)s
 *
 * Since: %(since)s
 */
%(rt)s
%(sig)s
{''' % dict(fn=fn, self_doc=('\n * @self: a #%s' % SelfT) if is_object else '', argdocs=arg_docs(),
            doc=wrap_doc(doc), ret_ann=(ret.annotation() + ': ') if ret.annotation() else '',
            ret_doc=ret_doc, since=since, rt=ret.ctype, sig=sig(fn, sync_tail)))
        plain = pret.is_bool and ret.is_bool and not post
        rv = 'result' if plain else 'ret'
        c.append('  g_autoptr (%s) provider = NULL;' % ProvT)
        c.append('  HeroVirtExecutor *executor_ = NULL;')
        for l in locals_:
            c.append('  %s = %s;' % (decl(l.ctype, l.name), 'NULL' if l.ctype.endswith('*') else '0'))
        c.append('  %s = %s;' % (decl(pret.ctype, 'result'), pret.fail()))
        if not plain:
            c.append('  %s = %s;' % (decl(ret.ctype, 'ret'), ret.fail()))
        if prepare and finally_stmt:
            c.append('  gboolean prepared = FALSE;')
        c.append('')
        c.append(precondition(ret.fail()))
        c.append('')
        conds = checks('error')
        if conds:
            c.append('  if (!%s)\n    goto out;' % '\n      || !'.join(conds))
        c.append('  provider = %s (%s, cancellable, error);\n  if (provider == NULL)\n    goto out;' %
                 (lookup_fn, 'self' if is_object else executor_expr))
        if prepare:
            c.append('  if (!%s (%sprovider, cancellable, error))\n    goto out;' % (prepare, self_arg()))
            if finally_stmt:
                c.append('  prepared = TRUE;')
        if executor_owned:
            c.append('  executor_ = %s;' % executor_expr)
        else:
            c.append('  executor_ = %s;\n  if (executor_ != NULL)\n    g_object_ref (executor_);' % executor_expr)
        for l in locals_:
            c.append('  %s = %s;' % (l.name, l.expr))
            if l.fallible:
                c.append('  if (%s == NULL)\n    goto out;' % l.name)
        lconds = local_checks('error')
        if lconds:
            c.append('  if (!%s)\n    goto out;' % '\n      || !'.join(lconds))
        c.append('  result = %s_%s (provider, executor_%s, cancellable, error);' %
                 (pprefix, call, provider_call_args()))
        if not plain:
            if post:
                c.append('  if (result)\n    {\n      ret = %s;' % post)
                if not pret.is_bool:
                    c.append('      result = NULL; /* the post-processing took it */')
                c.append('    }')
            elif pret.is_bool:
                c.append('  ret = result;')
            else:
                c.append('  ret = g_steal_pointer (&result);')
        c.append('\nout:')
        if prepare and finally_stmt:
            c.append('  if (prepared)\n    %s;' % finally_stmt)
        if not pret.is_bool:
            c.append('  g_clear_pointer (&result, %s);' % pret.free_func().replace('(GDestroyNotify) ', ''))
        for l in locals_:
            fr = l.free(l.name)
            if fr:
                c.append('  ' + fr)
        c.append('  g_clear_object (&executor_);')
        if on_error:
            c.append('  if (!%s)\n    %s;' % (rv, on_error))
        c.append('  return %s;\n}\n' % rv)

        # ---- async: the data a call keeps until it completes
        c.append('typedef struct\n{')
        c.append('  %s *provider_;\n  HeroVirtExecutor *executor_;' % ProvT)
        for nm, t, _ in args:
            c.append('  %s;' % decl(t.fieldtype, nm))
        for l in locals_:
            c.append('  %s;' % decl(l.fieldtype, l.name))
        c.append('} %s;\n' % Data)
        c.append('static void\n%s_call_free (gpointer p)\n{\n  %s *d = p;\n' % (fn, Data))
        c.append('  g_clear_object (&d->provider_);\n  g_clear_object (&d->executor_);')
        for nm, t, _ in args:
            fr = t.free('d->' + nm)
            if fr:
                c.append('  ' + fr)
        for l in locals_:
            fr = l.free('d->' + l.name)
            if fr:
                c.append('  ' + fr)
        c.append('  g_free (d);\n}\n')

        def aliases(with_locals=True, init_locals=True):
            out = ['  %s *d G_GNUC_UNUSED = g_task_get_task_data (task);' % Data]
            if is_object:
                out.append('  %s *self G_GNUC_UNUSED = g_task_get_source_object (task);' % SelfT)
            for nm, t, _ in args:
                out.append('  %s G_GNUC_UNUSED = %sd->%s;' % (
                    decl(t.ctype, nm), '(const char *const *) ' if t.base == 'strv' else '', nm))
            if with_locals:
                for l in locals_:
                    out.append('  %s G_GNUC_UNUSED = %s;' % (
                        decl(l.ctype, l.name), ('d->' + l.name) if init_locals else
                        ('NULL' if l.ctype.endswith('*') else '0')))
            return '\n'.join(out)

        # error reporting: every async error goes through here
        c.append('static void\n%s_return_error (GTask *task,\n    GError *local_error)\n{' % fn)
        if on_error:
            c.append(aliases(with_locals=False))
            c.append('  GError **error = &local_error;\n\n  %s;' % on_error)
        c.append('  g_task_return_error (task, local_error);\n  g_object_unref (task);\n}\n')

        # completion
        c.append('static void\n%s_done (GObject *source_,\n    GAsyncResult *res_,\n    gpointer user_data)\n{' % fn)
        c.append('  GTask *task = user_data;')
        c.append(aliases())
        c.append('  GError *local_error = NULL;')
        c.append('  GError **error G_GNUC_UNUSED = &local_error;')
        c.append('  %s = %s_%s_finish (%s (source_), res_, &local_error);' %
                 (decl(pret.ctype, 'result'), pprefix, call, PROV_CAST))
        if post or not ret.task_bool:
            c.append('  %s = %s;' % (decl(ret.ctype, 'ret'), ret.fail()))
        c.append('')
        if post:
            c.append('  if (result)\n    ret = %s;' % post)
        elif not ret.task_bool:
            c.append('  ret = result;')
        if prepare and finally_stmt:
            c.append('  %s;' % finally_stmt)
        okv = 'ret' if (post or not ret.task_bool) else 'result'
        c.append('  if (!%s)\n    {\n      %s_return_error (task, local_error);\n      return;\n    }' % (okv, fn))
        if ret.task_bool:
            c.append('  g_task_return_boolean (task, TRUE);')
        else:
            c.append('  g_task_return_pointer (task, ret, %s);' % ret.free_func())
        c.append('  g_object_unref (task);\n}\n')

        # the provider call, once everything is ready
        c.append('static void\n%s_call (GTask *task)\n{' % fn)
        c.append(aliases(init_locals=False))
        c.append('  GError *local_error G_GNUC_UNUSED = NULL;')
        c.append('  GError **error G_GNUC_UNUSED = &local_error;')
        c.append('')
        if executor_owned:
            c.append('  d->executor_ = %s;' % executor_expr)
        else:
            c.append('  d->executor_ = %s;\n  if (d->executor_ != NULL)\n    g_object_ref (d->executor_);' % executor_expr)
        fail_block = '    {\n%s      %s_return_error (task, local_error);\n      return;\n    }' % (
            ('      %s;\n' % finally_stmt) if (prepare and finally_stmt) else '', fn)
        for l in locals_:
            c.append('  d->%s = %s;\n  %s = d->%s;' % (l.name, l.expr, l.name, l.name))
            if l.fallible:
                c.append('  if (%s == NULL)\n%s' % (l.name, fail_block))
        lconds = local_checks('&local_error')
        if lconds:
            c.append('  if (!%s)\n%s' % ('\n      || !'.join(lconds), fail_block))
        c.append('  %s_%s_async (d->provider_, d->executor_%s, g_task_get_cancellable (task), %s_done, task);\n}\n' %
                 (pprefix, call, provider_call_args(), fn))

        if prepare:
            c.append('static void\n%s_prepared (GObject *source_,\n    GAsyncResult *res_,\n    gpointer user_data)\n{' % fn)
            c.append('  GTask *task = user_data;\n  GError *local_error = NULL;\n')
            c.append('  if (!%s_finish (%s (source_), res_, &local_error))\n    {\n'
                     '      %s_return_error (task, local_error);\n      return;\n    }' %
                     (prepare, CAST_SELF, fn))
            c.append('  %s_call (task);\n}\n' % fn)

        # async entry
        c.append('''/**
 * %(fn)s_async:%(self_doc)s%(argdocs)s
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation completes
 * @user_data: data for @callback
 *
 * Starts %(ref)s; finish it with %(fref)s.
 *
 * Since: %(since)s
 */
void
%(sig)s
{''' % dict(fn=fn, self_doc=('\n * @self: a #%s' % SelfT) if is_object else '', argdocs=arg_docs(),
            since=since, sig=sig(fn + '_async', async_tail), ref=docref(n), fref=docref(n + '_finish')))
        c.append('  GTask *task;\n  %s *d;\n  GError *local_error = NULL;\n' % Data)
        c.append(precondition(None))
        c.append('')
        c.append('  task = g_task_new (%s, cancellable, callback, user_data);' % ('self' if is_object else 'NULL'))
        c.append('  g_task_set_source_tag (task, %s_async);' % fn)
        c.append('  d = g_new0 (%s, 1);' % Data)
        for nm, t, _ in args:
            c.append('  d->%s = %s;' % (nm, t.copy(nm)))
        c.append('  g_task_set_task_data (task, d, %s_call_free);\n' % fn)
        conds = checks('&local_error')
        conds.append('(d->provider_ = %s (%s, cancellable, &local_error))' %
                     (lookup_fn, 'self' if is_object else executor_expr))
        c.append('  if (!%s)\n    {\n      %s_return_error (task, local_error);\n      return;\n    }' %
                 ('\n      || !'.join(conds), fn))
        if prepare:
            c.append('  %s_async (%sd->provider_, cancellable, %s_prepared, task);\n}\n' % (prepare, self_arg(), fn))
        else:
            c.append('  %s_call (task);\n}\n' % fn)

        # finish
        c.append('''/**
 * %(fn)s_finish:%(self_doc)s
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes %(ref)s.
 *
 * Returns: %(ret_ann)s%(ret_doc)s
 *
 * Since: %(since)s
 */
%(rt)s
%(fn)s_finish (%(params)s)
{
  g_return_val_if_fail (g_task_is_valid (result, %(src)s), %(fail)s);
  g_return_val_if_fail (g_async_result_is_tagged (result, %(fn)s_async), %(fail)s);

  return g_task_propagate_%(kind)s (G_TASK (result), error);
}
''' % dict(fn=fn, self_doc=('\n * @self: a #%s' % SelfT) if is_object else '', ref=docref(n + '_async'),
           ret_ann=(ret.annotation(True) + ': ') if ret.annotation(True) else '', ret_doc=finish_ret_doc,
           since=since, rt=ret.finish_ctype, params=', '.join(finish_params),
           src='self' if is_object else 'NULL', fail=ret.finish_fail(),
           kind='boolean' if ret.task_bool else 'pointer'))

    h.append('G_END_DECLS')
    # Formatted like the hand-written code when clang-format is at hand (it
    # finds the tree's .clang-format from the spec's directory), so the
    # generated code reads the same in a debugger.
    for path, lines in ((out_h, h), (out_c, c)):
        text = '\n'.join(lines) + '\n'
        with open(path, 'w') as f:
            f.write(clang_format(text, os.path.join(os.path.dirname(os.path.abspath(spec_path)),
                                                    os.path.basename(path))))


def clang_format(text, assume_filename):
    exe = shutil.which('clang-format')
    if exe is None:
        return text
    try:
        out = subprocess.run([exe, '--assume-filename=' + assume_filename], input=text,
                             capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return text
    return out.stdout


if __name__ == '__main__':
    main()
