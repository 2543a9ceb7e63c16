#!/usr/bin/env python3
# gen-value.py: generates a value type (a final GObject that is a bag of
# typed fields) from a JSON description: the struct, one GObject property
# and one getter per field, optional builder-style setters, constructors,
# and the JSON form (to_json_node/to_json, and where asked the parsers).
#
#   gen-value.py <type>-value.json <out.h> <out.c>
#
# The description (see docs/design-notes.md, "Value types"):
#
#   name          type name without the HeroVirt prefix ("DiskInfo")
#   summary       one line for the header's first comment
#   doc           the class documentation
#   includes      headers the public header needs besides hero-virt-types.h
#   private_include   the header the .c includes (hero-virt-private.h)
#   mode          how values get in:
#                   "readonly"       read-only properties; only the generated
#                                    constructors and JSON parsers fill it in
#                   "construct-only" construct-only properties, filled in by
#                                    g_object_new (TYPE, "prop", value, …)
#                   "setters"        read-write properties and one public
#                                    setter per field, the libsoup way round:
#                                    set_property calls the setter, the
#                                    setter stores and notifies by pspec
#                                    (G_PARAM_EXPLICIT_NOTIFY)
#   setters_return_self   setters return @self for chaining (default true)
#   constructors  [{"name": "new", "args": [[field, doc], …], "doc": …}]
#   setters       multi-field setters: [{"name": "set_x", "args": [[field,
#                 doc], …], "doc": …}]
#   json          {"what": "disk info",   noun for parse errors
#                  "names": "underscore" | "dash",  default member names
#                  "strict": bool,  a member of the wrong type is an error
#                                   (otherwise it reads as unset)
#                  "document": bool, keep the parsed document: to_json gives
#                                    it back verbatim, getters read the
#                                    fields parsed from it
#                  "to_node", "to_string", "from_node", "from_string",
#                  "from_object", "document_getter": function names (without
#                  the type prefix), null to leave one out}
#   extra_decls   prototypes of hand-written functions; their code and docs
#                 live in hero-virt-<type>-extra.c and use only the public API
#   fields        [{"name": snake_case, "type": string | filename | strv |
#                   bool | int | uint | int64 | uint64 | double |
#                   enum:CType | object:CType | objects:CType | json | bytes,
#                   "doc": property doc, "returns": getter doc,
#                   "nullable": bool (pointer types; default true),
#                   "arg_nullable": the same for setter and constructor
#                   arguments, when it differs,
#                   "setter": false for no public setter of its own,
#                   "arg": the setter's parameter name,
#                   "default", "min", "max",
#                   "json": member name or dotted path, null for none,
#                   "required": parsing fails without it,
#                   "always": written to JSON even when it is the default,
#                   "enum_json": "nick" | "upper-nick",
#                   "property": false for no GObject property,
#                   "property_name": when it is not the name with dashes,
#                   "fail": what the getter returns for a wrong instance,
#                   "since"}]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import re
import sys
import textwrap


def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


def ctype_snake(ctype):
    # HeroVirtVmSpec -> hero_virt_vm_spec
    return snake(ctype)


def gtype_macro(ctype):
    # HeroVirtVmState -> HERO_VIRT_TYPE_VM_STATE; JsonNode -> JSON_TYPE_NODE
    s = snake(ctype).upper()
    ns, _, rest = s.partition('_')
    if ns == 'HERO':
        return 'HERO_VIRT_TYPE_' + rest.partition('_')[2]
    return ns + '_TYPE_' + rest


def gi_name(ctype):
    return ctype.replace('HeroVirt', 'HeroVirt.', 1)


def wrap_doc(text, indent=' * '):
    out = []
    for para in text.strip().split('\n\n'):
        lines = textwrap.wrap(' '.join(para.split()), 74 - len(indent))
        out.extend(indent + l for l in lines)
        out.append(indent.rstrip())
    if out:
        out.pop()
    return '\n'.join(out)


def tagged(tag, text, indent=' * '):
    # "Returns: text", wrapped with a hanging indent
    lines = textwrap.wrap(' '.join(text.split()), 72,
                          initial_indent=indent + tag + ' ',
                          subsequent_indent=indent + '  ')
    return '\n'.join(lines)


def c_string(s):
    return json.dumps(s, ensure_ascii=False)


POINTERS = ('string', 'filename', 'strv', 'object', 'objects', 'json', 'bytes')


class Field:
    def __init__(self, spec, typ):
        self.spec = spec
        self.name = spec['name']
        self.prop = spec.get('property_name', self.name.replace('_', '-'))
        self.arg = spec.get('arg', self.name)  # the setter's parameter name
        self.PROP = 'PROP_' + self.name.upper()
        base, _, param = spec['type'].partition(':')
        self.base = base
        self.param = param
        self.doc = spec.get('doc', '')
        self.nullable = spec.get('nullable', True)
        self.arg_nullable = spec.get('arg_nullable', self.nullable)  # for setters and constructors
        self.has_property = spec.get('property', base != 'objects')
        self.since = spec.get('since', typ.since)
        names = typ.json.get('names', 'underscore')
        default_member = self.name if names == 'underscore' else self.prop
        self.member = spec.get('json', default_member) if base != 'bytes' else spec.get('json')
        self.required = spec.get('required', False)
        self.always = spec.get('always', False)
        self.enum_json = spec.get('enum_json', 'nick')
        self.returns = spec.get('returns')
        self.min = spec.get('min')
        self.max = spec.get('max')
        self.default = spec.get('default')

    # -- C types --------------------------------------------------------
    @property
    def field_type(self):
        return {
            'string': 'char *', 'filename': 'char *', 'strv': 'char **',
            'bool': 'gboolean', 'int': 'int', 'uint': 'guint',
            'int64': 'gint64', 'uint64': 'guint64', 'double': 'double',
            'enum': self.param + ' ', 'object': self.param + ' *',
            'objects': 'GPtrArray *', 'json': 'JsonNode *', 'bytes': 'GBytes *',
        }[self.base]

    @property
    def get_type(self):
        if self.base in ('string', 'filename'):
            return 'const char *'
        if self.base == 'strv':
            return 'const char *const *'
        return self.field_type

    @property
    def set_type(self):
        return self.get_type

    def decl(self, ctype, name):
        return ctype + name if ctype.endswith(('*', ' ')) else ctype + ' ' + name

    @property
    def c_default(self):
        d = self.default
        if self.base in POINTERS:
            return 'NULL'
        if self.base == 'bool':
            return 'TRUE' if d else 'FALSE'
        if self.base == 'enum':
            return d if d is not None else '0'
        if d is None:
            return '0'
        if self.base == 'double':
            return repr(float(d))
        return str(d)

    @property
    def nonzero_default(self):
        return self.base not in POINTERS and self.c_default not in ('0', 'FALSE', '0.0')

    def range(self):
        lo, hi = {
            'int': ('G_MININT', 'G_MAXINT'), 'uint': ('0', 'G_MAXUINT'),
            'int64': ('G_MININT64', 'G_MAXINT64'), 'uint64': ('0', 'G_MAXUINT64'),
            'double': ('-G_MAXDOUBLE', 'G_MAXDOUBLE'),
        }[self.base]
        if self.min is not None:
            lo = str(self.min)
        if self.max is not None:
            hi = str(self.max)
        return lo, hi

    def pspec(self, flags):
        n = c_string(self.prop)
        b = self.base
        if b in ('string', 'filename'):
            d = c_string(self.default) if self.default is not None else 'NULL'
            return 'g_param_spec_string (%s, NULL, NULL, %s, %s)' % (n, d, flags)
        if b == 'strv':
            return 'g_param_spec_boxed (%s, NULL, NULL, G_TYPE_STRV, %s)' % (n, flags)
        if b == 'json':
            return 'g_param_spec_boxed (%s, NULL, NULL, JSON_TYPE_NODE, %s)' % (n, flags)
        if b == 'bytes':
            return 'g_param_spec_boxed (%s, NULL, NULL, G_TYPE_BYTES, %s)' % (n, flags)
        if b == 'bool':
            return 'g_param_spec_boolean (%s, NULL, NULL, %s, %s)' % (n, self.c_default, flags)
        if b == 'enum':
            return 'g_param_spec_enum (%s, NULL, NULL, %s, %s, %s)' % (
                n, gtype_macro(self.param), self.c_default, flags)
        if b == 'object':
            return 'g_param_spec_object (%s, NULL, NULL, %s, %s)' % (n, gtype_macro(self.param), flags)
        lo, hi = self.range()
        return 'g_param_spec_%s (%s, NULL, NULL, %s, %s, %s, %s)' % (
            b, n, lo, hi, self.c_default, flags)

    @property
    def gvalue(self):
        return {
            'string': 'string', 'filename': 'string', 'strv': 'boxed', 'json': 'boxed',
            'bytes': 'boxed', 'bool': 'boolean', 'int': 'int', 'uint': 'uint',
            'int64': 'int64', 'uint64': 'uint64', 'double': 'double', 'enum': 'enum',
            'object': 'object',
        }[self.base]

    def free(self, expr):
        return {
            'string': 'g_clear_pointer (&%s, g_free);',
            'filename': 'g_clear_pointer (&%s, g_free);',
            'strv': 'g_clear_pointer (&%s, g_strfreev);',
            'object': 'g_clear_object (&%s);',
            'objects': 'g_clear_pointer (&%s, g_ptr_array_unref);',
            'json': 'g_clear_pointer (&%s, json_node_unref);',
            'bytes': 'g_clear_pointer (&%s, g_bytes_unref);',
        }[self.base] % expr

    def copy(self, expr, json_ref=False):
        return {
            'string': 'g_strdup (%s)', 'filename': 'g_strdup (%s)',
            'strv': 'g_strdupv ((char **)%s)',
            'object': '%s ? g_object_ref (%s) : NULL',
            'json': ('%s ? json_node_ref (%s) : NULL' if json_ref else '%s ? json_node_copy (%s) : NULL'),
            'bytes': '%s ? g_bytes_ref (%s) : NULL',
        }.get(self.base, '%s').replace('%s', expr)

    def getter_annotations(self):
        ann = []
        b = self.base
        if b == 'filename':
            ann.append('(type filename)')
        if b in ('object', 'json', 'bytes', 'strv'):
            ann.append('(transfer none)')
        if b == 'objects':
            ann.append('(transfer container) (element-type %s)' % gi_name(self.param))
        if b == 'strv':
            ann.append('(array zero-terminated=1)')
        if b in POINTERS and self.nullable and b != 'objects':
            ann.append('(nullable)')
        return ' '.join(ann)

    def arg_annotations(self):
        ann = []
        if self.base == 'filename':
            ann.append('(type filename)')
        if self.base == 'strv':
            ann.append('(array zero-terminated=1)')
        if self.base in POINTERS and self.arg_nullable:
            ann.append('(nullable)')
        return ' '.join(ann)


class Type:
    def __init__(self, spec, spec_path):
        self.spec = spec
        self.spec_path = spec_path
        self.Name = spec['name']
        self.TypeName = 'HeroVirt' + self.Name
        self.sname = snake(self.Name)
        self.prefix = 'hero_virt_' + self.sname
        self.UPPER = self.sname.upper()
        self.since = spec.get('since', '0.1')
        self.mode = spec.get('mode', 'readonly')
        self.json = spec.get('json', {})
        self.what = self.json.get('what', self.Name)
        self.document = self.json.get('document', False)
        self.strict = self.json.get('strict', False)
        self.chain = spec.get('setters_return_self', True)
        self.fields = [Field(f, self) for f in spec['fields']]
        self.props = [f for f in self.fields if f.has_property]
        self.header = 'hero-virt-' + self.sname.replace('_', '-') + '.h'
        self.IS = 'HERO_VIRT_IS_' + self.UPPER
        self.CAST = 'HERO_VIRT_' + self.UPPER
        self.GTYPE = 'HERO_VIRT_TYPE_' + self.UPPER

    def fn(self, key, default):
        name = self.json.get(key, default)
        return self.prefix + '_' + name if name else None

    @property
    def What(self):
        return self.what[0].upper() + self.what[1:]


def generate(t):
    h, c = [], []
    src = t.spec_path.split('/')[-1]
    self_arg = '%s *self' % t.TypeName

    # ------------------------------------------------------------ header
    h.append('/* %s: %s\n *\n * Generated by core/codegen/gen-value.py from %s; do not edit.\n *\n'
             ' * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (t.header, t.spec.get('summary', t.Name), src))
    h.append('#pragma once\n')
    h.append('#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)\n'
             '#error "Only <hero-virt.h> can be included directly."\n#endif\n')
    h.append('#include <json-glib/json-glib.h>\n')
    h.append('#include "hero-virt-types.h"')
    for inc in t.spec.get('includes', []):
        h.append('#include "%s"' % inc)
    h.append('\nG_BEGIN_DECLS\n')
    h.append('#define %s (%s_get_type ())' % (t.GTYPE, t.prefix))
    h.append('HERO_VIRT_AVAILABLE_IN_ALL')
    h.append('G_DECLARE_FINAL_TYPE (%s, %s, HERO_VIRT, %s, GObject)\n' % (t.TypeName, t.prefix, t.UPPER))

    def declare(ret, name, args):
        h.append('HERO_VIRT_AVAILABLE_IN_ALL')
        h.append('%s%s (%s);' % (ret if ret.endswith('*') else ret + ' ', name, ', '.join(args)))

    # ------------------------------------------------------------ source
    c.append('/* %s: generated by core/codegen/gen-value.py from %s; do not edit.\n *\n'
             ' * SPDX-License-Identifier: LGPL-2.1-or-later\n */' % (t.header[:-2] + '.c', src))
    c.append('#include "config.h"\n')
    c.append('#include "%s"\n' % t.spec.get('private_include', 'hero-virt-private.h'))
    c.append('/**\n * %s:\n *\n%s\n *\n * Since: %s\n */' % (t.TypeName, wrap_doc(t.spec['doc']), t.since))
    c.append('struct _%s\n{\n  GObject parent_instance;\n' % t.TypeName)
    for f in t.fields:
        c.append('  %s;' % f.decl(f.field_type, f.name))
    if t.document:
        c.append('  JsonNode *document; /* what it was parsed from */')
    c.append('};\n')
    if t.props:
        c.append('enum\n{\n  PROP_0,')
        for f in t.props:
            c.append('  %s,' % f.PROP)
        c.append('  N_PROPS\n};\n')
        c.append('static GParamSpec *properties[N_PROPS];\n')
    c.append('G_DEFINE_FINAL_TYPE (%s, %s, G_TYPE_OBJECT)\n' % (t.TypeName, t.prefix))

    # finalize
    c.append('static void\n%s_finalize (GObject *object)\n{' % t.prefix)
    if t.document or any(f.base in POINTERS for f in t.fields):
        c.append('  %s *self = %s (object);\n' % (t.TypeName, t.CAST))
    for f in t.fields:
        if f.base in POINTERS:
            c.append('  ' + f.free('self->' + f.name))
    if t.document:
        c.append('  g_clear_pointer (&self->document, json_node_unref);')
    c.append('\n  G_OBJECT_CLASS (%s_parent_class)->finalize (object);\n}\n' % t.prefix)

    # get_property
    if t.props:
        c.append('static void\n%s_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)\n{\n'
                 '  %s *self = %s (object);\n\n  switch (prop_id)\n    {' % (t.prefix, t.TypeName, t.CAST))
        for f in t.props:
            c.append('    case %s:\n      g_value_set_%s (value, self->%s);\n      break;' % (f.PROP, f.gvalue, f.name))
        c.append('    default:\n      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n    }\n}\n')

    by_name = {f.name: f for f in t.fields}

    # store_<field>: the one place a setter-mode field changes; it notifies
    if t.mode == 'setters':
        for f in t.props:
            c.append('static void\n%s_store_%s (%s, %s)\n{' % (t.prefix, f.name, self_arg, f.decl(f.set_type, f.name)))
            me = 'self->' + f.name
            early = '    return;'
            b = f.base
            if b in ('string', 'filename'):
                c.append('  if (g_strcmp0 (%s, %s) == 0)\n%s\n  g_free (%s);\n  %s = g_strdup (%s);' % (me, f.name, early, me, me, f.name))
            elif b == 'strv':
                c.append('  if (%s == (char **)%s || (%s != NULL && %s != NULL && g_strv_equal ((const char *const *)%s, %s)))\n%s' % (
                    me, f.name, me, f.name, me, f.name, early))
                c.append('  g_strfreev (%s);\n  %s = g_strdupv ((char **)%s);' % (me, me, f.name))
            elif b == 'object':
                c.append('  if (!g_set_object (&%s, %s))\n%s' % (me, f.name, early))
            elif b == 'json':
                c.append('  if (%s == %s || (%s != NULL && %s != NULL && json_node_equal (%s, %s)))\n%s' % (
                    me, f.name, me, f.name, me, f.name, early))
                c.append('  g_clear_pointer (&%s, json_node_unref);\n  %s = %s ? json_node_copy (%s) : NULL;' % (me, me, f.name, f.name))
            elif b == 'bytes':
                c.append('  if (%s == %s)\n%s\n  g_clear_pointer (&%s, g_bytes_unref);\n  %s = %s ? g_bytes_ref (%s) : NULL;' % (
                    me, f.name, early, me, me, f.name, f.name))
            else:
                val = '!!' + f.name if b == 'bool' else f.name
                c.append('  if (%s == %s)\n%s\n  %s = %s;' % (me, val, early, me, val))
            c.append('  g_object_notify_by_pspec (G_OBJECT (self), properties[%s]);\n}\n' % f.PROP)

    # set_property
    writable = t.mode in ('construct-only', 'setters') and t.props
    if writable:
        c.append('static void\n%s_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)\n{\n'
                 '  %s *self = %s (object);\n\n  switch (prop_id)\n    {' % (t.prefix, t.TypeName, t.CAST))
        for f in t.props:
            c.append('    case %s:' % f.PROP)
            if t.mode == 'setters':
                getter = 'g_value_get_%s (value)' % f.gvalue
                fn = 'set' if f.spec.get('setter', True) else 'store'
                c.append('      %s_%s_%s (self, %s);' % (t.prefix, fn, f.name, getter))
            else:
                if f.base in POINTERS:
                    c.append('      ' + f.free('self->' + f.name))
                    dup = 'dup_' + f.gvalue
                    c.append('      self->%s = g_value_%s (value);' % (f.name, dup))
                else:
                    c.append('      self->%s = g_value_get_%s (value);' % (f.name, f.gvalue))
            c.append('      break;')
        c.append('    default:\n      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n    }\n}\n')

    # class_init
    flags = {
        'readonly': 'G_PARAM_READABLE | G_PARAM_STATIC_STRINGS',
        'construct-only': 'G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS',
        'setters': 'G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS',
    }[t.mode]
    c.append('static void\n%s_class_init (%sClass *klass)\n{\n  GObjectClass *object_class = G_OBJECT_CLASS (klass);\n' % (t.prefix, t.TypeName))
    c.append('  object_class->finalize = %s_finalize;' % t.prefix)
    if t.props:
        c.append('  object_class->get_property = %s_get_property;' % t.prefix)
    if writable:
        c.append('  object_class->set_property = %s_set_property;' % t.prefix)
    for f in t.props:
        c.append('\n  /**\n   * %s:%s:\n   *\n%s\n   *\n   * Since: %s\n   */' % (
            t.TypeName, f.prop, wrap_doc(f.doc, '   * '), f.since))
        c.append('  properties[%s] = %s;' % (f.PROP, f.pspec(flags)))
    if t.props:
        c.append('\n  g_object_class_install_properties (object_class, N_PROPS, properties);')
    c.append('}\n')

    # init
    c.append('static void\n%s_init (%s *self)\n{' % (t.prefix, t.TypeName))
    for f in t.fields:
        if f.nonzero_default:
            c.append('  self->%s = %s;' % (f.name, f.c_default))
        if f.base in ('string', 'filename') and f.default is not None:
            c.append('  self->%s = g_strdup (%s);' % (f.name, c_string(f.default)))
        if f.base == 'objects':
            c.append('  self->%s = g_ptr_array_new_with_free_func (g_object_unref);' % f.name)
    c.append('}\n')

    # constructors
    for ctor in t.spec.get('constructors', []):
        name = t.prefix + '_' + ctor['name']
        args = [(by_name[a[0]], a[1]) for a in ctor.get('args', [])]
        params = [f.decl(f.set_type, f.name) for f, _ in args]
        declare('%s *' % t.TypeName, name, params or ['void'])
        doc = ['/**', ' * %s:' % name]
        for f, d in args:
            ann = f.arg_annotations()
            doc.append(tagged('@%s:' % f.name, (ann + ': ' if ann else '') + d))
        doc.append(' *')
        if ctor.get('doc'):
            doc.append(wrap_doc(ctor['doc']))
            doc.append(' *')
        doc.append(tagged('Returns:', '(transfer full): ' + ctor.get('returns', 'a new #%s' % t.TypeName)))
        doc.append(' *\n * Since: %s\n */' % ctor.get('since', t.since))
        c.append('\n'.join(doc))
        c.append('%s *\n%s (%s)\n{\n  %s *self;\n' % (t.TypeName, name, ', '.join(params) or 'void', t.TypeName))
        for f, _ in args:
            if f.base in POINTERS and not f.arg_nullable:
                c.append('  g_return_val_if_fail (%s != NULL, NULL);' % f.name)
        c.append('\n  self = g_object_new (%s, NULL);' % t.GTYPE)
        for f, _ in args:
            c.append('  self->%s = %s;' % (f.name, f.copy(f.name, json_ref=True)))
        c.append('  return self;\n}\n')

    # setters: a public setter per field unless "setter": false, and the
    # multi-field setters of "setters"; each stores through store_<field>
    if t.mode == 'setters':
        ret = ('%s *' % t.TypeName) if t.chain else 'void'
        fail = 'NULL' if t.chain else ''

        def setter_head(name, args, doc, since):
            params = [self_arg] + [f.decl(f.set_type, f.arg) for f, _ in args]
            declare(ret, name, params)
            lines = ['/**', ' * %s:' % name, ' * @self: a #%s' % t.TypeName]
            for f, d in args:
                ann = f.arg_annotations()
                lines.append(tagged('@%s:' % f.arg, (ann + ': ' if ann else '') + d))
            lines.append(' *')
            lines.append(wrap_doc(doc))
            lines.append(' *')
            if t.chain:
                lines.append(' * Returns: (transfer none): @self\n *')
            lines.append(' * Since: %s\n */' % since)
            c.append('\n'.join(lines))
            c.append('%s\n%s (%s)\n{' % (ret.strip(), name, ', '.join(params)))
            c.append('  g_return_val_if_fail (%s (self), %s);\n' % (t.IS, fail) if t.chain
                     else '  g_return_if_fail (%s (self));\n' % t.IS)

        for f in t.props:
            if f.spec.get('setter', True):
                extra = '; it is copied' if f.base == 'json' else ''
                setter_head('%s_set_%s' % (t.prefix, f.name), [(f, 'the new value' + extra)],
                            'Sets [property@%s:%s].' % (gi_name(t.TypeName), f.prop), f.since)
                c.append('  %s_store_%s (self, %s);' % (t.prefix, f.name, f.arg))
                if t.chain:
                    c.append('  return self;')
                c.append('}\n')
        for ms in t.spec.get('setters', []):
            args = [(by_name[a[0]], a[1]) for a in ms['args']]
            setter_head('%s_%s' % (t.prefix, ms['name']), args, ms['doc'], ms.get('since', t.since))
            c.append('  g_object_freeze_notify (G_OBJECT (self));')
            for f, _ in args:
                c.append('  %s_store_%s (self, %s);' % (t.prefix, f.name, f.arg))
            c.append('  g_object_thaw_notify (G_OBJECT (self));')
            if t.chain:
                c.append('  return self;')
            c.append('}\n')

    # getters
    for f in t.fields:
        name = '%s_get_%s' % (t.prefix, f.name)
        declare(f.get_type, name, [self_arg])
        ann = f.getter_annotations()
        returns = f.returns or ('the value of [property@%s:%s]' % (gi_name(t.TypeName), f.prop))
        c.append('/**\n * %s:\n * @self: a #%s\n *\n%s\n *\n * Since: %s\n */' % (
            name, t.TypeName, tagged('Returns:', (ann + ': ' if ann else '') + returns), f.since))
        c.append('%s\n%s (%s)\n{' % (f.get_type.strip(), name, self_arg))
        c.append('  g_return_val_if_fail (%s (self), %s);' % (t.IS, f.spec.get('fail', f.c_default)))
        if f.base == 'objects':
            c.append('  GPtrArray *ret = g_ptr_array_new_full (self->%s->len, g_object_unref);\n\n'
                     '  for (guint i = 0; i < self->%s->len; i++)\n'
                     '    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (self->%s, i)));\n'
                     '  return ret;' % (f.name, f.name, f.name))
        elif f.base == 'strv':
            c.append('  return (const char *const *)self->%s;' % f.name)
        else:
            c.append('  return self->%s;' % f.name)
        c.append('}\n')

    generate_json(t, h, c, declare)

    for d in t.spec.get('extra_decls', []):
        h.append('HERO_VIRT_AVAILABLE_IN_ALL')
        h.append(d)

    h.append('\nG_END_DECLS')
    return '\n'.join(h) + '\n', '\n'.join(c) + '\n'


def generate_json(t, h, c, declare):
    to_node = t.fn('to_node', 'to_json_node')
    to_string = t.fn('to_string', 'to_json')
    from_node = t.fn('from_node', None)
    from_string = t.fn('from_string', None)
    from_object = t.fn('from_object', None)
    doc_getter = t.fn('document_getter', None)
    jfields = [f for f in t.fields if f.member]
    self_arg = '%s *self' % t.TypeName

    if to_node:
        declare('JsonNode *', to_node, [self_arg])
        if t.document:
            desc = 'Returns the document the %s was parsed from, unchanged.' % t.what
        else:
            members = ', '.join('`%s`' % f.member for f in jfields)
            desc = ('Describes the %s as a JSON object with the members %s. Members holding their '
                    'default value are left out.' % (t.what, members))
        c.append('/**\n * %s:\n * @self: a #%s\n *\n%s\n *\n * Returns: (transfer full): a new JSON node\n *\n * Since: %s\n */' % (
            to_node, t.TypeName, wrap_doc(desc), t.since))
        c.append('JsonNode *\n%s (%s)\n{' % (to_node, self_arg))
        if t.document:
            c.append('  g_return_val_if_fail (%s (self), NULL);\n  return json_node_copy (self->document);\n}\n' % t.IS)
        else:
            c.append('  JsonObject *object;\n  JsonNode   *node;\n\n  g_return_val_if_fail (%s (self), NULL);\n\n  object = json_object_new ();' % t.IS)
            for f in jfields:
                m = c_string(f.member)
                me = 'self->' + f.name
                b = f.base
                if '.' in f.member:
                    raise SystemExit('%s: nested JSON paths need "document": true' % f.name)
                if b in ('string', 'filename'):
                    c.append('  if (%s != NULL)\n    json_object_set_string_member (object, %s, %s);' % (me, m, me))
                elif b == 'strv':
                    c.append('  if (%s != NULL)\n    {\n      JsonArray *array = json_array_new ();\n'
                             '      for (guint i = 0; %s[i] != NULL; i++)\n        json_array_add_string_element (array, %s[i]);\n'
                             '      json_object_set_array_member (object, %s, array);\n    }' % (me, me, me, m))
                elif b == 'object':
                    c.append('  if (%s != NULL)\n    json_object_set_member (object, %s, %s_to_json_node (%s));' % (
                        me, m, ctype_snake(f.param), me))
                elif b == 'objects':
                    c.append('  if (%s->len > 0)\n    {\n      JsonArray *array = json_array_new ();\n'
                             '      for (guint i = 0; i < %s->len; i++)\n'
                             '        json_array_add_element (array, %s_to_json_node (g_ptr_array_index (%s, i)));\n'
                             '      json_object_set_array_member (object, %s, array);\n    }' % (
                                 me, me, ctype_snake(f.param), me, m))
                elif b == 'json':
                    c.append('  if (%s != NULL)\n    json_object_set_member (object, %s, json_node_copy (%s));' % (me, m, me))
                elif b == 'enum':
                    cond = '' if f.always else '  if (%s != %s)\n  ' % (me, f.c_default)
                    c.append('%s  value_set_enum (object, %s, %s, %s, %s);' % (
                        cond, m, gtype_macro(f.param), me, 'TRUE' if f.enum_json == 'upper-nick' else 'FALSE'))
                else:
                    setter = {'bool': 'boolean', 'double': 'double'}.get(b, 'int')
                    cast = '(gint64)' if setter == 'int' else ''
                    cond = '' if f.always else '  if (%s != %s)\n  ' % (me, f.c_default)
                    c.append('%s  json_object_set_%s_member (object, %s, %s%s);' % (cond, setter, m, cast, me))
            c.append('  node = json_node_new (JSON_NODE_OBJECT);\n  json_node_take_object (node, object);\n  return node;\n}\n')
    if to_string:
        declare('char *', to_string, [self_arg, 'gboolean pretty'])
        c.append('/**\n * %s:\n * @self: a #%s\n * @pretty: whether to indent the output\n *\n'
                 '%s\n *\n * Since: %s\n */' % (to_string, t.TypeName, tagged(
                     'Returns:', '(transfer full): the %s as the JSON text [method@%s.%s] describes' % (
                         t.what, gi_name(t.TypeName), to_node[len(t.prefix) + 1:])), t.since))
        c.append('char *\n%s (%s, gboolean pretty)\n{' % (to_string, self_arg))
        if t.document:
            c.append('  g_return_val_if_fail (%s (self), NULL);\n  return json_to_string (self->document, pretty);\n}\n' % t.IS)
        else:
            c.append('  g_autoptr (JsonNode) node = NULL;\n\n  g_return_val_if_fail (%s (self), NULL);\n\n'
                     '  node = %s (self);\n  return json_to_string (node, pretty);\n}\n' % (t.IS, to_node))
    if doc_getter:
        declare('JsonNode *', doc_getter, [self_arg])
        c.append('/**\n * %s:\n * @self: a #%s\n *\n%s\n *\n * Since: %s\n */' % (
            doc_getter, t.TypeName, tagged('Returns:', '(transfer none): the document the %s was parsed from; do not modify it' % t.what), t.since))
        c.append('JsonNode *\n%s (%s)\n{\n  g_return_val_if_fail (%s (self), NULL);\n  return self->document;\n}\n' % (
            doc_getter, self_arg, t.IS))

    if not (from_node or from_string or from_object):
        return

    # helpers and the one parser every entry point uses
    c.insert(c.index('G_DEFINE_FINAL_TYPE (%s, %s, G_TYPE_OBJECT)\n' % (t.TypeName, t.prefix)) + 1, PARSE_HELPERS)
    parse = '%s_parse' % t.prefix
    c.append('static %s *\n%s (JsonNode *node, GError **error)\n{\n  g_autoptr (%s) self = NULL;\n  JsonObject *object;\n  JsonNode   *member;\n' % (
        t.TypeName, parse, t.TypeName))
    c.append('  if (!JSON_NODE_HOLDS_OBJECT (node))\n    {\n      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, %s);\n      return NULL;\n    }' % c_string(
        '%s is not a JSON object' % t.What))
    c.append('  object = json_node_get_object (node);\n  self = g_object_new (%s, NULL);' % t.GTYPE)
    if t.document:
        c.append('  self->document = json_node_copy (node);')
    what = c_string(t.What)
    for f in jfields:
        m = c_string(f.member)
        me = 'self->' + f.name
        b = f.base
        expect = {'string': 'a string', 'filename': 'a string', 'enum': 'a string', 'bool': 'a boolean',
                  'double': 'a number', 'strv': 'an array of strings', 'objects': 'an array',
                  'object': 'an object', 'json': 'JSON'}.get(b, 'an integer')
        value_is = 'JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == '
        if b in ('string', 'filename'):
            check, assign = value_is + 'G_TYPE_STRING', '%s = g_strdup (json_node_get_string (member));' % me
        elif b == 'bool':
            check, assign = value_is + 'G_TYPE_BOOLEAN', '%s = json_node_get_boolean (member);' % me
        elif b == 'double':
            check = ('JSON_NODE_HOLDS_VALUE (member) && (json_node_get_value_type (member) == G_TYPE_DOUBLE'
                     ' || json_node_get_value_type (member) == G_TYPE_INT64)')
            assign = '%s = json_node_get_double (member);' % me
        elif b == 'enum':
            check = value_is + 'G_TYPE_STRING'
            assign = '%s = value_get_enum (%s, json_node_get_string (member), %s);' % (
                me, gtype_macro(f.param), f.c_default)
        elif b in ('int', 'uint', 'int64', 'uint64'):
            conds = []
            lo = str(f.min) if f.min is not None else ('0' if b in ('uint', 'uint64') else
                                                      {'int': 'G_MININT'}.get(b))
            hi = str(f.max) if f.max is not None else {'int': 'G_MAXINT', 'uint': 'G_MAXUINT'}.get(b)
            if lo is not None:
                conds.append('json_node_get_int (member) >= %s' % lo)
            if hi is not None:
                conds.append('json_node_get_int (member) <= %s' % hi)
            check = value_is + 'G_TYPE_INT64' + ''.join(' && ' + x for x in conds)
            assign = '%s = (%s)json_node_get_int (member);' % (me, f.field_type.strip())
        elif b == 'strv':
            check = 'JSON_NODE_HOLDS_ARRAY (member)'
            if t.strict or f.required:
                assign = ('if (!json_get_strv (member, &%s))\n  return json_wrong (error, %s, %s, %s);'
                          % (me, what, m, c_string(expect)))
            else:
                assign = 'json_get_strv (member, &%s);' % me
        elif b == 'object':
            check = 'TRUE'
            assign = ('if ((%s = %s_new_from_json_node (member, error)) == NULL)\n  return NULL;'
                      % (me, ctype_snake(f.param)))
        elif b == 'objects':
            check = 'JSON_NODE_HOLDS_ARRAY (member)'
            assign = ('JsonArray *array = json_node_get_array (member);\n\n'
                      'for (guint i = 0; i < json_array_get_length (array); i++)\n  {\n'
                      '    gpointer element = %s_new_from_json_node (json_array_get_element (array, i), error);\n\n'
                      '    if (element == NULL)\n      return NULL;\n'
                      '    g_ptr_array_add (%s, element);\n  }' % (ctype_snake(f.param), me))
        elif b == 'json':
            check, assign = 'TRUE', '%s = json_node_copy (member);' % me
        else:
            raise SystemExit('%s: type %s has no JSON form' % (f.name, b))
        wrong = 'return json_wrong (error, %s, %s, %s);' % (what, m, c_string(expect))

        def block(stmt, indent):
            # the body of an if at the given indent, GNU style
            pad = ' ' * (indent + 2)
            lines = stmt.split('\n')
            if len(lines) == 1:
                return pad + lines[0]
            return '%s{\n%s\n%s}' % (pad, '\n'.join((pad + '  ' + l) if l else '' for l in lines), pad)

        def guarded(indent):
            # "if (check) assign; [else wrong]" at the given indent
            pad = ' ' * indent
            out = []
            if check == 'TRUE':
                return '\n'.join((pad + l) if l else '' for l in assign.split('\n'))
            out.append('%sif (%s)' % (pad, check))
            out.append(block(assign, indent))
            if t.strict or f.required:
                out.append('%selse' % pad)
                out.append(block(wrong, indent))
            return '\n'.join(out)

        c.append('\n  member = json_lookup (object, %s);' % m)
        if f.required:
            c.append('  if (member == NULL || JSON_NODE_HOLDS_NULL (member))\n    return json_missing (error, %s, %s);' % (what, m))
            c.append(guarded(2))
        else:
            c.append('  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))\n    {')
            c.append(guarded(6))
            c.append('    }')
    c.append('  return g_steal_pointer (&self);\n}\n')

    if from_node:
        declare('%s *' % t.TypeName, from_node, ['JsonNode *node', 'GError **error'])
        c.append('/**\n * %s:\n * @node: %s\n * @error: return location for a #GError\n *\n%s\n *\n'
                 '%s\n *\n * Since: %s\n */' % (
                     from_node, t.json.get('node_doc', 'a JSON object as [method@%s.%s] writes it' % (gi_name(t.TypeName), to_node[len(t.prefix) + 1:] if to_node else 'to_json_node')),
                     wrap_doc(t.json.get('parse_doc', 'Reads a %s from JSON. Unknown members are ignored.' % t.what)),
                     tagged('Returns:', '(transfer full): a new #%s, or %%NULL with %%HERO_VIRT_ERROR_PARSE' % t.TypeName), t.since))
        c.append('%s *\n%s (JsonNode *node, GError **error)\n{\n  g_return_val_if_fail (node != NULL, NULL);\n  return %s (node, error);\n}\n' % (
            t.TypeName, from_node, parse))
    if from_object:
        declare('%s *' % t.TypeName, from_object, ['JsonObject *object', 'GError **error'])
        c.append('/**\n * %s:\n * @object: %s\n * @error: return location for a #GError\n *\n%s\n *\n'
                 '%s\n *\n * Since: %s\n */' % (
                     from_object, t.json.get('node_doc', 'a JSON object'),
                     wrap_doc(t.json.get('parse_doc', 'Reads a %s from JSON. Unknown members are ignored.' % t.what)),
                     tagged('Returns:', '(transfer full): a new #%s, or %%NULL with %%HERO_VIRT_ERROR_PARSE' % t.TypeName), t.since))
        c.append('%s *\n%s (JsonObject *object, GError **error)\n{\n  g_autoptr (JsonNode) node = NULL;\n\n'
                 '  g_return_val_if_fail (object != NULL, NULL);\n\n  node = json_node_init_object (json_node_alloc (), object);\n'
                 '  return %s (node, error);\n}\n' % (t.TypeName, from_object, parse))
    if from_string:
        declare('%s *' % t.TypeName, from_string, ['const char *json', 'GError **error'])
        c.append('/**\n * %s:\n * @json: %s\n * @error: return location for a #GError\n *\n%s\n *\n'
                 '%s\n *\n * Since: %s\n */' % (
                     from_string, t.json.get('string_doc', 'JSON text as [method@%s.%s] writes it' % (gi_name(t.TypeName), to_string[len(t.prefix) + 1:] if to_string else 'to_json')),
                     wrap_doc('Parses a %s from JSON text. Unknown members are ignored.' % t.what),
                     tagged('Returns:', '(transfer full): a new #%s, or %%NULL with %%HERO_VIRT_ERROR_PARSE (or %%HERO_VIRT_ERROR_TOO_LARGE for text nested too deep or too long)' % t.TypeName), t.since))
        c.append('%s *\n%s (const char *json, GError **error)\n{\n  g_autoptr (JsonNode) node = NULL;\n  g_autoptr (GError) local_error = NULL;\n\n'
                 '  g_return_val_if_fail (json != NULL, NULL);\n\n  node = hero_virt_json_parse_untrusted ((const guint8 *)json, strlen (json), 0, 0, &local_error);\n  if (node == NULL)\n    {\n'
                 '      g_set_error (error, HERO_VIRT_ERROR, local_error->code, "Could not parse %%s: %%s", %s,\n'
                 '                   local_error->message);\n      return NULL;\n    }\n'
                 '  return %s (node, error);\n}\n' % (t.TypeName, from_string, c_string(t.what), parse))


PARSE_HELPERS = '''/* The JSON helpers every generated parser shares. */
static G_GNUC_UNUSED JsonNode *
json_lookup (JsonObject *object, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL)
        return NULL;
      node = json_object_get_member (object, parts[i]);
      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

static G_GNUC_UNUSED gpointer
json_missing (GError **error, const char *what, const char *member)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "%s has no “%s”", what, member);
  return NULL;
}

static G_GNUC_UNUSED gpointer
json_wrong (GError **error, const char *what, const char *member, const char *expected)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "%s member “%s” should be %s", what,
               member, expected);
  return NULL;
}

static G_GNUC_UNUSED gboolean
json_get_strv (JsonNode *node, char ***out)
{
  JsonArray *array = json_node_get_array (node);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static G_GNUC_UNUSED int
value_get_enum (GType type, const char *text, int fallback)
{
  GEnumClass      *klass = g_type_class_ref (type);
  g_autofree char *nick = g_ascii_strdown (text, -1);
  GEnumValue      *value = g_enum_get_value_by_nick (klass, nick);
  int              ret = value ? value->value : fallback;

  g_type_class_unref (klass);
  return ret;
}
'''

ENUM_WRITER = '''static G_GNUC_UNUSED void
value_set_enum (JsonObject *object, const char *member, GType type, int value, gboolean upper)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v ? v->value_nick : "unknown";

  if (upper)
    {
      g_autofree char *upper_nick = g_ascii_strup (nick, -1);
      json_object_set_string_member (object, member, upper_nick);
    }
  else
    json_object_set_string_member (object, member, nick);
  g_type_class_unref (klass);
}
'''


def main():
    spec_path, out_h, out_c = sys.argv[1:4]
    with open(spec_path) as f:
        spec = json.load(f)
    t = Type(spec, spec_path)
    h, c = generate(t)
    if 'value_set_enum (' in c:
        marker = 'G_DEFINE_FINAL_TYPE (%s, %s, G_TYPE_OBJECT)\n' % (t.TypeName, t.prefix)
        c = c.replace(marker, marker + '\n' + ENUM_WRITER, 1)
    with open(out_h, 'w') as f:
        f.write(h)
    with open(out_c, 'w') as f:
        f.write(c)


if __name__ == '__main__':
    main()
