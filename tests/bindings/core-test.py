#!/usr/bin/python3
# core-test.py: the core API through GObject Introspection: errors, the
# registry, commands and the local executor, progress, property-based
# construction, and GPtrArray returns (no leak, no double free).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import tempfile

import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Gio", "2.0")
from gi.repository import GLib, Gio, GObject, HeroVirt  # noqa: E402

from tap import test, run  # noqa: E402

BUILD_ROOT = os.environ["HERO_VIRT_BUILD_ROOT"]


def expect_error(code, fn, *args):
    try:
        fn(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), \
            "expected %s, got %s %d: %s" % (code, e.domain, e.code, e.message)
        return e
    raise AssertionError("no error raised, expected %s" % code)


def run_loop_until(done):
    context = GLib.MainContext.default()
    while not done():
        context.iteration(True)


@test
def error_domain_and_codes():
    registry = HeroVirt.Registry.get_default()
    e = expect_error(HeroVirt.Error.NOT_FOUND, registry.lookup, HeroVirt.ProviderKind.DISK, "nosuch")
    assert e.domain == "hero-virt-error-quark"
    assert e.code == int(HeroVirt.Error.NOT_FOUND)
    assert "nosuch" in e.message
    assert isinstance(e, GLib.Error)
    # The enum is real: a name, distinct values.
    assert HeroVirt.Error.NOT_FOUND != HeroVirt.Error.TIMEOUT
    assert HeroVirt.Error.INVALID_ARGUMENT.value_nick == "invalid-argument"


@test
def registry_lists_plugins():
    registry = HeroVirt.Registry.get_default()
    plugins = registry.get_plugins()
    qcow2 = [p for p in plugins if p.get_name() == "qcow2"]
    assert len(qcow2) == 1, [p.props.path for p in plugins]
    p = qcow2[0]
    assert p.get_loaded() and p.props.loaded
    assert p.get_error() is None
    assert p.get_version() == "0.1.0"
    assert p.get_description().startswith("Disk images")
    assert p.get_path() == os.path.join(BUILD_ROOT, "plugins", "qcow2", "libherovirt-qcow2.so")
    assert p.get_provider_kinds() == ["disk"]
    providers = p.get_providers()
    assert [x.get_name() for x in providers] == ["qcow2"]
    assert providers[0].props.kind == HeroVirt.ProviderKind.DISK
    assert providers[0].props.plugin_name == "qcow2"
    found = registry.find_plugin("qcow2")
    assert found == p
    assert registry.get_search_path()[0] == os.path.join(BUILD_ROOT, "plugins", "qcow2")
    assert HeroVirt.provider_kind_to_string(HeroVirt.ProviderKind.HYPERVISOR) == "hypervisor"
    ok, kind = HeroVirt.provider_kind_from_string("cluster")
    assert ok and kind == HeroVirt.ProviderKind.CLUSTER


@test
def ptr_array_returns_keep_refcounts():
    # Transfer container: the binding owns the array, not the elements.
    # Thousands of calls must leave every element's reference count as it
    # was (no leak) and every element alive (no double free).
    registry = HeroVirt.Registry.get_default()
    plugin = registry.find_plugin("qcow2")
    provider = plugin.get_providers()[0]
    before = (plugin.__grefcount__, provider.__grefcount__)
    for _ in range(5000):
        plugins = registry.get_plugins()
        providers = registry.get_providers(HeroVirt.ProviderKind.DISK)
        own = plugin.get_providers()
        del plugins, providers, own
    assert (plugin.__grefcount__, provider.__grefcount__) == before, \
        (before, plugin.__grefcount__, provider.__grefcount__)
    assert plugin.get_name() == "qcow2" and provider.get_name() == "qcow2"


@test
def command_stdin_env_cwd_status_stderr():
    executor = HeroVirt.LocalExecutor.new()
    with tempfile.TemporaryDirectory(prefix="hv-py-") as tmp:
        cmd = HeroVirt.Command.new("sh")
        cmd.add_arg("-c").add_arg('read line; echo "$line $GREETING $(pwd)"; echo oops >&2; exit 4')
        cmd.set_stdin_text("hello").setenv("GREETING", "world").set_cwd(tmp)
        result = executor.run(cmd, None)
        assert result.get_exit_status() == 4
        assert not result.get_success()
        assert result.get_stdout_text() == "hello world %s\n" % os.path.realpath(tmp)
        assert result.get_stderr_text() == "oops\n"
        assert result.get_duration() > 0
        e = expect_error(HeroVirt.Error.COMMAND_FAILED, result.check)
        assert "sh exited with status 4" in e.message and "oops" in e.message


@test
def executor_environment():
    executor = HeroVirt.LocalExecutor.new()
    executor.setenv("HV_FROM_EXECUTOR", "yes")
    cmd = HeroVirt.Command.new_argv(["sh", "-c", 'printf %s "$HV_FROM_EXECUTOR"'])
    assert executor.run(cmd, None).get_stdout_text() == "yes"
    assert executor.is_local()


@test
def secret_args_masked():
    cmd = HeroVirt.Command.new("tool").add_arg("--user").add_arg("bob")
    cmd.add_arg("--password").add_secret_arg("hunter2-s3cret")
    printed = cmd.to_string()
    assert "hunter2" not in printed
    assert "***" in printed and "bob" in printed
    assert cmd.arg_is_secret(4) and not cmd.arg_is_secret(2)
    # The real value is still passed to the program.
    run = HeroVirt.Command.new_argv(["sh", "-c", 'printf %s "$1"', "sh"]).add_secret_arg("hunter2")
    result = HeroVirt.Executor.get_default().run(run, None)
    assert result.get_stdout_text() == "hunter2"
    assert "hunter2" not in result.get_command_line()


@test
def timeout_is_an_error():
    cmd = HeroVirt.Command.new_argv(["sleep", "30"]).set_timeout(200)
    e = expect_error(HeroVirt.Error.TIMEOUT, HeroVirt.Executor.get_default().run, cmd, None)
    assert "sleep" in e.message


@test
def async_run_and_cancellation():
    executor = HeroVirt.Executor.get_default()
    # A plain async run, from the main loop.
    state = {}
    cmd = HeroVirt.Command.new_argv(["sh", "-c", "echo async"])
    executor.run_async(cmd, None, lambda ex, res: state.update(result=ex.run_finish(res)))
    run_loop_until(lambda: "result" in state)
    assert state["result"].get_stdout_text() == "async\n"

    # Cancelled once it has printed its first line: G_IO_ERROR_CANCELLED,
    # untouched, and the command does not run to its end.
    cancellable = Gio.Cancellable()
    lines = []
    cmd = HeroVirt.Command.new_argv(["sh", "-c", "echo ready; sleep 30; echo never"])

    def on_line(command, stream, line):
        lines.append(line)
        cancellable.cancel()

    cmd.connect("output-line", on_line)

    def done(ex, res):
        try:
            ex.run_finish(res)
            state["error"] = None
        except GLib.Error as e:
            state["error"] = e

    executor.run_async(cmd, cancellable, done)
    run_loop_until(lambda: "error" in state)
    e = state["error"]
    assert e is not None and e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e
    assert lines == ["ready"], lines


@test
def progress_signals():
    progress = HeroVirt.Progress.new()
    seen = []
    notified = []
    progress.connect("changed", lambda p: seen.append((p.props.stage, p.props.current, p.props.total,
                                                       p.props.message)))
    progress.connect("notify::fraction", lambda p, pspec: notified.append(p.props.fraction))
    progress.update("download", 25, 100, "a quarter")
    progress.update("download", 100, 100, None)
    assert seen == [("download", 25, 100, "a quarter"), ("download", 100, 100, None)], seen
    assert notified == [0.25, 1.0], notified
    assert progress.get_fraction() == 1.0


@test
def property_construction():
    options = HeroVirt.DiskCreateOptions(size=1 << 30, cluster_size=65536, lazy_refcounts=True)
    assert options.get_size() == 1 << 30
    assert options.props.cluster_size == 65536
    assert options.props.format == "qcow2"
    assert options.props.lazy_refcounts
    options.validate()
    bad = HeroVirt.DiskCreateOptions(size=1000)
    expect_error(HeroVirt.Error.INVALID_ARGUMENT, bad.validate)


@test
def nul_bytes_are_refused():
    # PyGObject would cut "web\0x" to "web"; the override refuses it first.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "a.qcow2")
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, HeroVirt.Disk.new, path + "\0.evil")
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, HeroVirt.validate_container_name, "web\0--privileged")
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, HeroVirt.Builder.new, "web\0x", "localhost/a:1")
        expect_error(HeroVirt.Error.INVALID_ARGUMENT,
                     lambda: HeroVirt.Builder(name="web\0x", base_image="localhost/a:1"))
        cmd = HeroVirt.Command.new("true")
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, cmd.add_argv, ["ok", "bad\0arg"])
        assert os.listdir(d) == [], os.listdir(d)
        # Plain strings still go through.
        assert HeroVirt.validate_container_name("web")


run()
