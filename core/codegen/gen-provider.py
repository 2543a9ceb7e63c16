#!/usr/bin/env python3
# gen-provider.py: generates a provider interface (header and source) from
# a JSON description, the way gdbus-codegen generates D-Bus glue.
#
# Every operation becomes three vfuncs (sync, _async, _finish) and three
# public wrappers. The wrappers fill in what an implementation leaves out:
# a provider implementing only the sync vfunc serves async callers from a
# worker thread; one implementing only the async pair serves sync callers
# through a private main context; a provider implementing neither reports
# HERO_VIRT_ERROR_NOT_SUPPORTED.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import re
import sys
import textwrap


def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


class ArgType:
    def __init__(self, spec):
        self.nullable = False
        base, _, param = spec.partition(':')
        if base.endswith('?'):
            base = base[:-1]
            self.nullable = True
        self.base = base
        self.param = param

    @property
    def ctype(self):
        return {
            'string': 'const char *',
            'object': (self.param or 'GObject') + ' *',
            'uint64': 'guint64',
            'int64': 'gint64',
            'int': 'int',
            'uint': 'guint',
            'bool': 'gboolean',
            'enum': self.param,
            'strv': 'const char * const *',
            'bytes': 'GBytes *',
            'double': 'double',
            'json': 'JsonNode *',
            'callback': self.param,
        }[self.base]

    @property
    def is_callback(self):
        return self.base == 'callback'

    @property
    def fieldtype(self):
        if self.base == 'string':
            return 'char *'
        if self.base == 'strv':
            return 'char **'
        return self.ctype

    def annotations(self):
        ann = []
        if self.base == 'strv':
            ann.append('(array zero-terminated=1)')
        if self.nullable:
            ann.append('(nullable)')
        return ' '.join(ann)

    def copy(self, expr):
        return {
            'string': 'g_strdup (%s)' % expr,
            'object': '%s ? g_object_ref (%s) : NULL' % (expr, expr),
            'strv': 'g_strdupv ((char **) %s)' % expr,
            'bytes': '%s ? g_bytes_ref (%s) : NULL' % (expr, expr),
            'json': '%s ? json_node_ref (%s) : NULL' % (expr, expr),
        }.get(self.base, expr)

    def free(self, expr):
        return {
            'string': 'g_free (%s);' % expr,
            'object': 'g_clear_object (&%s);' % expr,
            'strv': 'g_strfreev (%s);' % expr,
            'bytes': 'g_clear_pointer (&%s, g_bytes_unref);' % expr,
            'json': 'g_clear_pointer (&%s, json_node_unref);' % expr,
        }.get(self.base)

    def check(self):
        if self.nullable:
            return None
        if self.base in ('string', 'object', 'strv', 'bytes', 'json', 'callback'):
            return '%s != NULL'
        return None


class RetType:
    def __init__(self, spec):
        base, _, param = spec.partition(':')
        self.base = base
        self.param = param

    @property
    def ctype(self):
        return {
            'bool': 'gboolean',
            'object': (self.param or 'GObject') + ' *',
            'array': 'GPtrArray *',
            'string': 'char *',
            'bytes': 'GBytes *',
            'strv': 'char **',
            'json': 'JsonNode *',
        }[self.base]

    @property
    def is_bool(self):
        return self.base == 'bool'

    def fail(self):
        return 'FALSE' if self.is_bool else 'NULL'

    def free_func(self):
        return {
            'bool': 'NULL',
            'object': 'g_object_unref',
            'array': '(GDestroyNotify) g_ptr_array_unref',
            'string': 'g_free',
            'bytes': '(GDestroyNotify) g_bytes_unref',
            'strv': '(GDestroyNotify) g_strfreev',
            'json': '(GDestroyNotify) json_node_unref',
        }[self.base]

    def annotation(self):
        if self.base == 'array':
            return '(transfer container) (element-type %s)' % self.param.replace('HeroVirt', 'HeroVirt.')
        if self.base == 'strv':
            return '(transfer full) (array zero-terminated=1)'
        if self.base == 'bool':
            return ''
        return '(transfer full)'


# PyGObject (3.42, Debian 12) cannot hand a (type filename) argument to a
# vfunc implemented in Python: it warns "Unhandled type tag filename" and
# the method gets None. Paths are therefore plain UTF-8 strings in the
# interfaces, so Python and GJS classes can implement them.
FILENAME_ANNOTATION = '(type filename)'


def arg_doc(t, doc):
    # Annotations end with a colon; a doc may carry its own.
    if doc.startswith(FILENAME_ANNOTATION):
        doc = doc[len(FILENAME_ANNOTATION):].lstrip(':').strip()
    ann = t.annotations()
    if not ann:
        return doc
    if doc.startswith('('):
        return '%s %s' % (ann, doc)
    return '%s: %s' % (ann, doc)


# A callback argument `x` of type `callback:HeroVirtFooFunc` is passed as
# `x, x_data` to the plain operation (scope call: used only during the
# call) and as `x, x_data, x_destroy` to the _async one (scope notified:
# the implementation calls `x_destroy (x_data)` when it is done with it).
def expand(ps, is_async):
    out = []
    for ct, nm, t, doc in ps:
        out.append((ct, nm))
        if t.is_callback:
            out.append(('gpointer ', nm + '_data'))
            if is_async:
                out.append(('GDestroyNotify ', nm + '_destroy'))
    return out


def plist_of(ps, is_async, indent):
    return ''.join(',\n%s%s%s' % (indent, ct, (' ' if not ct.endswith(('*', ' ')) else '') + nm)
                   for ct, nm in expand(ps, is_async))


def names_of(ps, is_async, prefix=''):
    return ''.join(', %s%s' % (prefix, nm) for _, nm in expand(ps, is_async))


def argdocs_of(ps, is_async):
    out = ''
    for ct, nm, t, doc in ps:
        if t.is_callback:
            if is_async:
                ann = '(scope notified) (closure %s_data) (destroy %s_destroy)' % (nm, nm)
            else:
                ann = '(scope call) (closure %s_data)' % nm
            out += '\n * @%s: %s: %s' % (nm, ann, doc)
            out += '\n * @%s_data: data for @%s' % (nm, nm)
            if is_async:
                out += '\n * @%s_destroy: (nullable): frees @%s_data once @%s is no longer called' % (nm, nm, nm)
        else:
            out += '\n * @%s: %s' % (nm, arg_doc(t, doc))
    return out


def wrap_doc(text, indent=' * '):
    out = []
    for para in text.strip().split('\n\n'):
        lines = textwrap.wrap(' '.join(para.split()), 72)
        out.extend(indent + l for l in lines)
        out.append(indent.rstrip())
    if out:
        out.pop()
    return '\n'.join(out)


def main():
    spec_path, out_h, out_c = sys.argv[1:4]
    with open(spec_path) as f:
        spec = json.load(f)

    Name = spec['name']                  # DiskProvider
    TypeName = 'HeroVirt' + Name         # HeroVirtDiskProvider
    sname = snake(Name)                  # disk_provider
    prefix = 'hero_virt_' + sname        # hero_virt_disk_provider
    UPPER = sname.upper()                # DISK_PROVIDER
    since = spec.get('since', '0.1')
    header_name = 'hero-virt-' + sname.replace('_', '-') + '.h'

    h = []
    c = []
    h.append('/* %s: generated from %s by gen-provider.py; do not edit.\n *\n * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (header_name, spec_path.split('/')[-1]))
    h.append('#pragma once\n')
    h.append('#if !defined (HERO_VIRT_INSIDE) && !defined (HERO_VIRT_COMPILATION)\n#error "Only <hero-virt.h> can be included directly."\n#endif\n')
    h.append('#include "hero-virt-types.h"\n#include "hero-virt-executor.h"')
    if any(ArgType(a[1]).base == 'json' for op in spec['ops'] for a in op.get('args', [])) or \
       any(RetType(op.get('returns', 'bool')).base == 'json' for op in spec['ops']):
        h.append('#include <json-glib/json-glib.h>')
    for inc in spec.get('includes', []):
        h.append('#include "%s"' % inc)
    h.append('\nG_BEGIN_DECLS\n')
    h.append('#define HERO_VIRT_TYPE_%s (%s_get_type ())' % (UPPER, prefix))
    h.append('HERO_VIRT_AVAILABLE_IN_ALL')
    h.append('G_DECLARE_INTERFACE (%s, %s, HERO_VIRT, %s, GObject)\n' % (TypeName, prefix, UPPER))

    # vtable doc
    h.append('/**\n * %sInterface:\n * @g_iface: the parent interface' % TypeName)
    h.append(' * @is_available: probes whether the backend can be used on an executor\'s host')
    for op in spec['ops']:
        n = op['name']
        h.append(' * @%s: %s' % (n, op.get('summary', 'synchronous ' + n.replace('_', ' '))))
        h.append(' * @%s_async: starts @%s asynchronously' % (n, n))
        h.append(' * @%s_finish: finishes @%s_async' % (n, n))
    h.append(' *')
    h.append(wrap_doc('The virtual functions of #%s. Implement the plain functions, the _async/_finish pairs, or both; every public wrapper derives what is missing. An operation with neither fails with %%HERO_VIRT_ERROR_NOT_SUPPORTED. Every operation receives the #HeroVirtExecutor to run commands with; it is never %%NULL.' % TypeName))
    h.append(' *\n * Since: %s\n */' % since)
    h.append('struct _%sInterface\n{\n  GTypeInterface g_iface;\n' % TypeName)
    h.append('  gboolean (*is_available) (%s *self,\n                            HeroVirtExecutor *executor,\n                            GCancellable *cancellable,\n                            GError **error);\n' % TypeName)

    def params(op, with_names=True):
        out = []
        for a in op.get('args', []):
            t = ArgType(a[1])
            out.append((t.ctype, a[0], t, a[2] if len(a) > 2 else ''))
        return out

    for op in spec['ops']:
        n = op['name']
        r = RetType(op.get('returns', 'bool'))
        ps = params(op)
        plist = plist_of(ps, False, '        ')
        aplist = plist_of(ps, True, '        ')
        h.append('  %s (*%s) (%s *self,\n        HeroVirtExecutor *executor%s,\n        GCancellable *cancellable,\n        GError **error);' % (r.ctype, n, TypeName, plist))
        h.append('  void (*%s_async) (%s *self,\n        HeroVirtExecutor *executor%s,\n        GCancellable *cancellable,\n        GAsyncReadyCallback callback,\n        gpointer user_data);' % (n, TypeName, aplist))
        h.append('  %s (*%s_finish) (%s *self,\n        GAsyncResult *result,\n        GError **error);\n' % (r.ctype, n, TypeName))
    h.append('  /*< private >*/\n  gpointer padding[%d];\n};\n' % spec.get('padding', 16))

    h.append('HERO_VIRT_AVAILABLE_IN_ALL\ngboolean %s_is_available (%s *self,\n    HeroVirtExecutor *executor,\n    GCancellable *cancellable,\n    GError **error);\n' % (prefix, TypeName))

    for op in spec['ops']:
        n = op['name']
        r = RetType(op.get('returns', 'bool'))
        ps = params(op)
        plist = plist_of(ps, False, '    ')
        aplist = plist_of(ps, True, '    ')
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\n%s %s_%s (%s *self,\n    HeroVirtExecutor *executor%s,\n    GCancellable *cancellable,\n    GError **error);' % (r.ctype, prefix, n, TypeName, plist))
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\nvoid %s_%s_async (%s *self,\n    HeroVirtExecutor *executor%s,\n    GCancellable *cancellable,\n    GAsyncReadyCallback callback,\n    gpointer user_data);' % (prefix, n, TypeName, aplist))
        h.append('HERO_VIRT_AVAILABLE_IN_ALL\n%s %s_%s_finish (%s *self,\n    GAsyncResult *result,\n    GError **error);\n' % (r.ctype, prefix, n, TypeName))
    h.append('G_END_DECLS')

    # ---- source
    c.append('/* %s.c: generated from %s by gen-provider.py; do not edit.\n *\n * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (header_name[:-2], spec_path.split('/')[-1]))
    c.append('#include "config.h"\n\n#include "hero-virt-private.h"\n')
    c.append('/**\n * %s:\n *\n%s\n *\n * Since: %s\n */\n' % (TypeName, wrap_doc(spec['doc']), since))
    c.append('G_DEFINE_INTERFACE (%s, %s, G_TYPE_OBJECT)\n' % (TypeName, prefix))
    c.append('static void\n%s_default_init (%sInterface *iface)\n{\n}\n' % (prefix, TypeName))

    c.append('''/**
 * %(prefix)s_is_available: (virtual is_available)
 * @self: a #%(T)s
 * @executor: (nullable): the executor the provider's commands would run
 *   on, or %%NULL for the local executor
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Probes whether the provider's backend can be used on @executor's host:
 * its tool is installed there (ask with
 * [method@HeroVirt.Executor.find_program]), its daemon answers. A
 * provider without a probe is always available. The registry calls this
 * once per provider and executor and remembers a positive answer
 * ([method@HeroVirt.ProviderInfo.check_available]).
 *
 * Returns: %%TRUE if the provider can be used; otherwise %%FALSE with
 *   an error saying why
 *
 * Since: %(since)s
 */
gboolean
%(prefix)s_is_available (%(T)s *self,
    HeroVirtExecutor *executor,
    GCancellable *cancellable,
    GError **error)
{
  %(T)sInterface *iface;

  g_return_val_if_fail (HERO_VIRT_IS_%(U)s (self), FALSE);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);

  iface = HERO_VIRT_%(U)s_GET_IFACE (self);
  if (iface->is_available == NULL)
    return TRUE;
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  return iface->is_available (self, executor, cancellable, error);
}
''' % dict(prefix=prefix, T=TypeName, U=UPPER, since=since))

    for op in spec['ops']:
        n = op['name']
        r = RetType(op.get('returns', 'bool'))
        ps = params(op)
        Data = TypeName + ''.join(p.capitalize() for p in n.split('_')) + 'Data'
        fn = '%s_%s' % (prefix, n)
        plist = plist_of(ps, False, '    ')
        aplist = plist_of(ps, True, '    ')
        names = names_of(ps, False)
        anames = names_of(ps, True)
        cast = {nm: '(const char * const *) ' for _, nm, t, _ in ps if t.base == 'strv'}
        dnames = ''.join(', %sd->%s' % (cast.get(nm, ''), nm) for _, nm in expand(ps, False))
        adnames = ''.join(', %sd->%s' % (cast.get(nm, ''), nm) for _, nm in expand(ps, True))
        callbacks = [nm for _, nm, t, _ in ps if t.is_callback]

        # data struct
        c.append('typedef struct {\n  HeroVirtExecutor *executor;')
        for ct, nm, t, _ in ps:
            c.append('  %s%s;' % (t.fieldtype, (' ' if not t.fieldtype.endswith('*') else '') + nm))
            if t.is_callback:
                c.append('  gpointer %s_data;\n  GDestroyNotify %s_destroy;' % (nm, nm))
        c.append('  GCancellable *cancellable;\n} %s;\n' % Data)
        c.append('static void\n%s_data_free (gpointer p)\n{\n  %s *d = p;\n\n  g_clear_object (&d->executor);' % (fn, Data))
        for ct, nm, t, _ in ps:
            fr = t.free('d->' + nm)
            if fr:
                c.append('  ' + fr)
            if t.is_callback:
                c.append('  if (d->%s_destroy != NULL)\n    d->%s_destroy (d->%s_data);' % (nm, nm, nm))
        c.append('  g_free (d);\n}\n')

        c.append('static gpointer\n%s_thread (gpointer source_object,\n    gpointer task_data,\n    GCancellable *cancellable,\n    GError **error)\n{\n  %s *d = task_data;\n' % (fn, Data))
        call = 'HERO_VIRT_%s_GET_IFACE (source_object)->%s (source_object, d->executor%s, cancellable, error)' % (UPPER, n, dnames.replace('d->', '(gpointer) d->') if False else dnames)
        # A command's output-line belongs to the async caller's context,
        # not to this worker thread.
        commands = [nm for _, nm, t, _ in ps if t.base == 'object' and t.param == 'HeroVirtCommand']
        if commands:
            c.append('  HeroVirtLineTarget lines_;\n  gpointer ret_;\n')
            c.append('  _hero_virt_command_deliver_lines_begin (&lines_, d->%s, _hero_virt_task_get_owner_context ());' % commands[0])
            if r.is_bool:
                c.append('  ret_ = %s ? GINT_TO_POINTER (TRUE) : NULL;' % call)
            else:
                c.append('  ret_ = %s;' % call)
            c.append('  _hero_virt_command_deliver_lines_end (&lines_);\n  return ret_;\n}\n')
        elif r.is_bool:
            c.append('  return %s ? GINT_TO_POINTER (TRUE) : NULL;\n}\n' % call)
        else:
            c.append('  return %s;\n}\n' % call)

        c.append('static void\n%s_start (gpointer source_object,\n    gpointer data,\n    GAsyncReadyCallback callback,\n    gpointer user_data)\n{\n  %s *d = data;\n\n  HERO_VIRT_%s_GET_IFACE (source_object)->%s_async (source_object, d->executor%s, d->cancellable, callback, user_data);\n}\n' % (fn, Data, UPPER, n, adnames))

        # docs for sync
        argdocs = argdocs_of(ps, False)
        aargdocs = argdocs_of(ps, True)
        ret_ann = r.annotation()
        ret_doc = op.get('returns_doc', '%TRUE on success' if r.is_bool else 'the result, or %NULL on error')
        c.append('''/**
 * %(fn)s: (virtual %(n)s)
 * @self: a #%(T)s
 * @executor: (nullable): where to run commands, or %%NULL for the local executor%(argdocs)s
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
%(fn)s (%(T)s *self,
    HeroVirtExecutor *executor%(plist)s,
    GCancellable *cancellable,
    GError **error)
{
  %(T)sInterface *iface;

  g_return_val_if_fail (HERO_VIRT_IS_%(U)s (self), %(fail)s);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), %(fail)s);
''' % dict(fn=fn, n=n, T=TypeName, U=UPPER, argdocs=argdocs, doc=wrap_doc(op['doc']),
           ret_ann=(ret_ann + ': ') if ret_ann else '', ret_doc=ret_doc, since=since, rt=r.ctype,
           plist=plist, fail=r.fail()))
        for ct, nm, t, _ in ps:
            chk = t.check()
            if chk:
                c.append('  g_return_val_if_fail (%s, %s);' % (chk % nm, r.fail()))
        c.append('''
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return %(fail)s;

  iface = HERO_VIRT_%(U)s_GET_IFACE (self);
  if (iface->%(n)s != NULL)
    return iface->%(n)s (self, executor%(names)s, cancellable, error);
  if (iface->%(n)s_async != NULL && iface->%(n)s_finish != NULL)
    {
      %(Data)s d = { 0, };
      g_autoptr(GAsyncResult) result = NULL;

      d.executor = executor;
%(assign)s      d.cancellable = cancellable;
      result = _hero_virt_run_sync (self, %(fn)s_start, &d);
      return iface->%(n)s_finish (self, result, error);
    }
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
               "%%s does not support %(human)s", G_OBJECT_TYPE_NAME (self));
  return %(fail)s;
}
''' % dict(fail=r.fail(), U=UPPER, n=n, names=names,
           assign=''.join('      d.%s = (%s) %s;\n' % (nm, t.fieldtype, nm) for _, nm, t, _ in ps)
           + ''.join('      d.%s_data = %s_data;\n' % (nm, nm) for nm in callbacks),
           Data=Data, fn=fn, human=n.replace('_', ' ')))

        # async
        c.append('''/**
 * %(fn)s_async: (virtual %(n)s_async)
 * @self: a #%(T)s
 * @executor: (nullable): where to run commands, or %%NULL for the local executor%(argdocs)s
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation completes
 * @user_data: data for @callback
 *
 * Starts the asynchronous form of [method@HeroVirt.%(Name)s.%(n)s].
 *
 * Since: %(since)s
 */
void
%(fn)s_async (%(T)s *self,
    HeroVirtExecutor *executor%(plist)s,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  %(T)sInterface *iface;
  %(Data)s *d;

  g_return_if_fail (HERO_VIRT_IS_%(U)s (self));
  g_return_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor));
''' % dict(fn=fn, n=n, T=TypeName, U=UPPER, argdocs=aargdocs, since=since, plist=aplist, Data=Data, Name=Name))
        for ct, nm, t, _ in ps:
            chk = t.check()
            if chk:
                c.append('  g_return_if_fail (%s);' % (chk % nm))
        c.append('''
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();

  iface = HERO_VIRT_%(U)s_GET_IFACE (self);
  if (iface->%(n)s_async != NULL && iface->%(n)s_finish != NULL)
    {
      iface->%(n)s_async (self, executor%(names)s, cancellable, callback, user_data);
      return;
    }
  if (iface->%(n)s == NULL)
    {
%(destroy)s      g_task_report_new_error (self, callback, user_data, %(fn)s_async,
                               HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                               "%%s does not support %(human)s", G_OBJECT_TYPE_NAME (self));
      return;
    }

  d = g_new0 (%(Data)s, 1);
  d->executor = g_object_ref (executor);''' % dict(U=UPPER, n=n, names=anames, fn=fn, human=n.replace('_', ' '), Data=Data,
                                                  destroy=''.join('      if (%s_destroy != NULL)\n        %s_destroy (%s_data);\n' % (nm, nm, nm) for nm in callbacks)))
        for ct, nm, t, _ in ps:
            c.append('  d->%s = %s;' % (nm, t.copy(nm)))
            if t.is_callback:
                c.append('  d->%s_data = %s_data;\n  d->%s_destroy = %s_destroy;' % (nm, nm, nm, nm))
        c.append('''  _hero_virt_run_in_thread (self, %(fn)s_async, %(fn)s_thread, d, %(fn)s_data_free,
                            %(free)s, cancellable, callback, user_data);
}
''' % dict(fn=fn, free=r.free_func()))

        # finish
        c.append('''/**
 * %(fn)s_finish: (virtual %(n)s_finish)
 * @self: a #%(T)s
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.%(Name)s.%(n)s_async].
 *
 * Returns: %(ret_ann)s%(ret_doc)s
 *
 * Since: %(since)s
 */
%(rt)s
%(fn)s_finish (%(T)s *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_%(U)s (self), %(fail)s);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), %(fail)s);

  if (g_async_result_is_tagged (result, %(fn)s_async))
    return %(conv)sg_task_propagate_pointer (G_TASK (result), error)%(conv_end)s;
  return HERO_VIRT_%(U)s_GET_IFACE (self)->%(n)s_finish (self, result, error);
}
''' % dict(fn=fn, n=n, T=TypeName, U=UPPER, Name=Name, ret_ann=(ret_ann + ': ') if ret_ann else '',
           ret_doc=ret_doc, since=since, rt=r.ctype, fail=r.fail(),
           conv='' if not r.is_bool else '', conv_end='' if not r.is_bool else ' != NULL'))

    with open(out_h, 'w') as f:
        f.write('\n'.join(h) + '\n')
    with open(out_c, 'w') as f:
        f.write('\n'.join(c) + '\n')


if __name__ == '__main__':
    main()
