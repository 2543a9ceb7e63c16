# PyGObject overrides for HeroVirt.
#
# PyGObject 3.42 converts a Python str to a C string by copying up to the
# first NUL, so "web\0--privileged" would silently reach HeroVirt as "web"
# and the call would act on a name the caller never gave. Every HeroVirt
# function and method is wrapped here so that a str argument holding a NUL
# raises GLib.Error(HeroVirt.Error.INVALID_ARGUMENT) before anything runs.
# Content that may hold NUL bytes goes in as GLib.Bytes (write_bytes and
# friends), which is passed through untouched.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import functools

from gi.repository import GLib, GObject

from ..module import get_introspection_module

HeroVirt = get_introspection_module("HeroVirt")

__all__ = []


def _has_nul(value):
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _reject_nul(name, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if any(_has_nul(a) for a in args) or any(_has_nul(v) for v in kwargs.values()):
            raise GLib.Error.new_literal(HeroVirt.error_quark(),
                                         f"{name}: a string argument contains a NUL byte",
                                         HeroVirt.Error.INVALID_ARGUMENT)
        return func(*args, **kwargs)
    return wrapper


def _wrap_class(cls):
    for attr, value in list(vars(cls).items()):
        if attr.startswith(("do_", "_")) or not callable(value):
            continue
        is_method = getattr(value, "is_method", None)
        if is_method is None:
            continue  # not an introspected function
        if is_method():
            setattr(cls, attr, _reject_nul(f"{cls.__name__}.{attr}", value))
        else:
            # Constructors and static functions: wrap what the class hands
            # out, which already knows its class.
            setattr(cls, attr, staticmethod(_reject_nul(f"{cls.__name__}.{attr}", getattr(cls, attr))))

    # Properties given to the constructor: HeroVirt.Builder(name="x\0y").
    if isinstance(cls, type) and issubclass(cls, GObject.Object):
        init = cls.__init__

        @functools.wraps(init)
        def checked_init(self, *args, **kwargs):
            if any(_has_nul(v) for v in kwargs.values()):
                raise GLib.Error.new_literal(HeroVirt.error_quark(),
                                             f"{cls.__name__}: a property value contains a NUL byte",
                                             HeroVirt.Error.INVALID_ARGUMENT)
            init(self, *args, **kwargs)
        cls.__init__ = checked_init


for _name in dir(HeroVirt):
    _obj = getattr(HeroVirt, _name, None)
    if isinstance(_obj, type) and _obj.__module__ == "gi.repository.HeroVirt":
        _wrap_class(_obj)
        globals()[_name] = _obj
        __all__.append(_name)
    elif callable(_obj) and hasattr(_obj, "is_method") and not _obj.is_method():
        globals()[_name] = _reject_nul(_name, _obj)
        __all__.append(_name)
