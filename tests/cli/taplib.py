# A tiny TAP producer for the CLI tests (meson test protocol: 'tap').
# SPDX-License-Identifier: LGPL-2.1-or-later
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

    def run(self, name, func, *args):
        """Runs one test case; an exception (assertion or other) fails it."""
        self.n += 1
        try:
            func(*args)
        except Exception:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print(f"ok {self.n} - {name}")
        sys.stdout.flush()

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0
