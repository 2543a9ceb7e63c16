#!/usr/bin/env python3
# bench-startup.py: how fast `hero-virt plugins` starts with a warm plugin
# cache, against `kubectl version --client` and `podman --version`, in one
# run: medians of wall time, ratios, and peak RSS (/usr/bin/time -f %M).
#
#   bench/startup/bench-startup.py HERO_VIRT_BINARY [RUNS]
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def wall(argv, env, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def peak_rss_kib(argv, env, runs=3):
    peaks = []
    with tempfile.NamedTemporaryFile("r") as out:
        for _ in range(runs):
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            out.seek(0)
            peaks.append(int(out.read().strip().splitlines()[-1]))
    return statistics.median(peaks)


def main():
    hero_virt = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    cache_dir = tempfile.mkdtemp(prefix="hv-bench-startup-")
    env = dict(os.environ)
    env["HERO_VIRT_REGISTRY_CACHE"] = os.path.join(cache_dir, "registry-1.json")
    try:
        # Warm the cache once (this run scans every plugin out of process).
        subprocess.run([hero_virt, "plugins"], env=env, stdout=subprocess.DEVNULL, check=True)
        # From now on a scanner that fails proves the cache answers.
        warm_env = dict(env, HERO_VIRT_PLUGIN_SCANNER="/bin/false")
        out = subprocess.run([hero_virt, "plugins"], env=warm_env, capture_output=True, text=True)
        if "scanner" in out.stdout:
            sys.exit("the warm run tried to scan: " + out.stdout)

        commands = [("hero-virt plugins (warm cache)", [hero_virt, "plugins"], warm_env)]
        for name, argv in (("kubectl version --client", ["kubectl", "version", "--client"]),
                           ("podman --version", ["podman", "--version"])):
            if shutil.which(argv[0]):
                commands.append((name, argv, env))
            elif os.environ.get("CI") == "true":
                sys.exit(argv[0] + " is not installed")
            else:
                print("(skipping %s: not installed)" % name)

        results = {}
        for name, argv, cmd_env in commands:
            wall(argv, cmd_env, 2)  # warm the page cache
        for name, argv, cmd_env in commands:
            med, lo, hi = wall(argv, cmd_env, runs)
            rss = peak_rss_kib(argv, cmd_env)
            results[name] = med
            print("%-32s median %7.2f ms  (min %6.2f, max %6.2f)  peak RSS %6.1f MiB"
                  % (name, med * 1e3, lo * 1e3, hi * 1e3, rss / 1024))
        mine = results[commands[0][0]]
        for name, _, _ in commands[1:]:
            print("%-32s is %5.1fx the time of hero-virt plugins" % (name, results[name] / mine))
        print("target: >= 10x faster than kubectl version --client, peak RSS < 10 MiB")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
