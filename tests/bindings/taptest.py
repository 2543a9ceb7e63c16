# taptest.py: a minimal TAP producer for the binding tests (meson test
# reads TAP). Register test functions with @test, then call run().
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import sys
import traceback

_tests = []


def _run_with_guard(loop):
    """MainLoop.run that stops on an exception in a callback (PyGObject
    only prints those) and re-raises it, instead of waiting forever."""
    errors = []
    old_hook = sys.excepthook

    def hook(kind, value, tb):
        errors.append(value)
        loop.quit()
        old_hook(kind, value, tb)

    sys.excepthook = hook
    try:
        loop.run()
    finally:
        sys.excepthook = old_hook
    if errors:
        raise errors[0]


def guard_main_loops():
    from gi.repository import GLib
    GLib.MainLoop.run_with_guard = _run_with_guard


guard_main_loops()


def test(fn):
    _tests.append(fn)
    return fn


def run():
    print("TAP version 13")
    print("1..%d" % len(_tests), flush=True)
    failed = 0
    for number, fn in enumerate(_tests, 1):
        try:
            fn()
        except Exception:
            failed += 1
            print("not ok %d - %s" % (number, fn.__name__))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print("ok %d - %s" % (number, fn.__name__))
        sys.stdout.flush()
    sys.exit(1 if failed else 0)
