# tap.py: the one TAP producer of the Python tests (meson test reads TAP).
#
# Either register test functions with @test and call run(), or drive a
# Tap by hand: t.run(name, func, *args) runs one case (an exception fails
# it), t.ok(condition, name) records a check, t.skip_all(reason) skips the
# whole file (a failure under CI=true, where a missing tool must fail),
# and sys.exit(t.done()) prints the plan.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import signal
import sys
import traceback


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        # meson test stops a timed-out test with SIGTERM: exit through the
        # callers' finally blocks, so temp dirs and servers are cleaned up.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    def ok(self, condition, name):
        """Records one check."""
        self.n += 1
        if not condition:
            self.failed += 1
        print("%s %d - %s" % ("ok" if condition else "not ok", self.n, name), flush=True)
        return condition

    def run(self, name, func, *args):
        """Runs one test case; an exception (assertion or other) fails it."""
        try:
            func(*args)
        except Exception:
            self.ok(False, name)
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            sys.stdout.flush()
        else:
            self.ok(True, name)

    def skip_all(self, reason):
        """Skips the whole file: exits at once, failing under CI=true."""
        print("1..0 # SKIP " + reason, flush=True)
        sys.exit(1 if os.environ.get("CI") else 0)

    def done(self):
        """Prints the plan; returns the exit status."""
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


_tests = []


def test(fn):
    """Registers a test function for run()."""
    _tests.append(fn)
    return fn


def run():
    """Runs every registered test function and exits."""
    t = Tap()
    for fn in _tests:
        t.run(fn.__name__, fn)
    sys.exit(t.done())


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


try:
    from gi.repository import GLib
except ImportError:  # the CLI tests need no GObject Introspection
    pass
else:
    GLib.MainLoop.run_with_guard = _run_with_guard
