#!/usr/bin/python3
# The VM API from Python through GObject Introspection: the fluent spec
# builder, validation errors as GLib.Error, JSON records, and a
# hypervisor provider written in Python, registered at run time and
# driven through the public sync and async wrappers.
# SPDX-License-Identifier: LGPL-2.1-or-later
import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, GObject, HeroVirt, Json  # noqa: E402

from tap import test, run  # noqa: E402


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func.__name__} did not fail")


@test
def fluent_builder():
    spec = (HeroVirt.VmBuilder.new("web")
            .set_kernel("/boot/vmlinux")
            .set_cmdline("console=ttyS0 root=/dev/vda")
            .set_vcpus(2)
            .set_memory_mb(1024)
            .add_disk("/vms/web.qcow2", False)
            .add_disk_device(HeroVirt.VmDisk.new("/vms/seed.raw").set_format("raw").set_readonly(True))
            .add_tap_net("tap0")
            .add_extra_arg("--seccomp=false")
            .build())
    assert spec.get_name() == "web"
    assert spec.props.vcpus == 2
    assert spec.props.memory_mb == 1024
    assert [d.get_path() for d in spec.get_disks()] == ["/vms/web.qcow2", "/vms/seed.raw"]
    assert spec.get_disks()[1].props.readonly
    assert spec.get_nets()[0].get_mode() == HeroVirt.VmNetMode.TAP
    assert list(spec.get_extra_args()) == ["--seccomp=false"]


@test
def builder_properties_and_validation():
    builder = HeroVirt.VmBuilder(name="fw", firmware="/fw/hypervisor-fw", vcpus=0)
    e = expect_error(HeroVirt.Error.INVALID_ARGUMENT, builder.build)
    assert "vCPU" in e.message, e.message
    builder.props.vcpus = 1
    builder.set_kernel("/boot/vmlinux")
    e = expect_error(HeroVirt.Error.INVALID_ARGUMENT, builder.build)
    assert "both a kernel and a firmware" in e.message, e.message
    builder.set_kernel(None)
    assert builder.build().get_firmware() == "/fw/hypervisor-fw"


@test
def info_json_round_trip():
    spec = HeroVirt.VmBuilder.new("db").set_kernel("/k").build()
    info = HeroVirt.VmInfo.new("db", HeroVirt.VmState.RUNNING).set_pid(77).set_spec(spec)
    again = HeroVirt.VmInfo.new_from_json(info.to_json(False))
    assert again.get_state() == HeroVirt.VmState.RUNNING
    assert again.get_pid() == 77
    assert again.get_spec().get_kernel() == "/k"
    expect_error(HeroVirt.Error.PARSE, HeroVirt.VmInfo.new_from_json, "{")


class PyHypervisor(GObject.Object, HeroVirt.HypervisorProvider):
    """Keeps VMs in a dict; implements create, start and info.

    Not list: PyGObject 3.42 cannot return a (transfer container) array
    from a Python vfunc (it raises, or crashes for object elements)."""

    def __init__(self):
        super().__init__()
        self.vms = {}

    def do_create(self, executor, spec, cancellable):
        assert isinstance(executor, HeroVirt.Executor)
        spec.validate()
        name = spec.get_name()
        if name in self.vms:
            raise GLib.Error.new_literal(HeroVirt.error_quark(), f"VM {name} exists", HeroVirt.Error.EXISTS)
        self.vms[name] = [spec, HeroVirt.VmState.CREATED]
        return name

    def do_start(self, executor, id, cancellable):
        self.vms[id][1] = HeroVirt.VmState.RUNNING
        return True

    def do_info(self, executor, id, cancellable):
        if id not in self.vms:
            raise GLib.Error.new_literal(HeroVirt.error_quark(), f"no VM {id}", HeroVirt.Error.NOT_FOUND)
        spec, state = self.vms[id]
        return HeroVirt.VmInfo.new(id, state).set_spec(spec)


@test
def python_provider():
    registry = HeroVirt.Registry.get_default()
    registry.register_provider(HeroVirt.ProviderKind.HYPERVISOR, "pyvm", 1000, PyHypervisor())
    provider = registry.get_provider(HeroVirt.ProviderKind.HYPERVISOR, "pyvm")
    assert isinstance(provider, PyHypervisor)
    assert registry.get_default_provider(HeroVirt.ProviderKind.HYPERVISOR, None) is provider

    spec = HeroVirt.VmBuilder.new("py1").set_kernel("/boot/vmlinux").build()
    assert provider.create(None, spec, None) == "py1"
    expect_error(HeroVirt.Error.EXISTS, provider.create, None, spec, None)
    assert provider.start(None, "py1", None)
    info = provider.info(None, "py1", None)
    assert info.get_state() == HeroVirt.VmState.RUNNING
    assert info.is_running()
    expect_error(HeroVirt.Error.NOT_FOUND, provider.info, None, "nope", None)
    expect_error(HeroVirt.Error.NOT_SUPPORTED, provider.stop, None, "py1", True, 5, None)
    expect_error(HeroVirt.Error.NOT_SUPPORTED, provider.pause, None, "py1", None)

    # The async wrappers serve a Python provider from a worker thread.
    loop = GLib.MainLoop()
    results = {}

    def done(source, result, key):
        try:
            results[key] = getattr(source, key + "_finish")(result)
        except GLib.Error as e:
            results[key] = e
        if len(results) == 3:
            loop.quit()

    spec2 = HeroVirt.VmBuilder.new("py2").set_kernel("/boot/vmlinux").build()
    provider.create_async(None, spec2, None, done, "create")
    provider.info_async(None, "py1", None, done, "info")
    provider.reboot_async(None, "py1", None, done, "reboot")
    loop.run()
    assert results["create"] == "py2", results
    assert isinstance(results["reboot"], GLib.Error)
    assert results["reboot"].matches(HeroVirt.error_quark(), HeroVirt.Error.NOT_SUPPORTED)
    assert results["info"].get_state() == HeroVirt.VmState.RUNNING
    assert provider.info(None, "py2", None).get_state() == HeroVirt.VmState.CREATED
    expect_error(HeroVirt.Error.NOT_SUPPORTED, provider.list, None, None)
    assert registry.unregister_provider(HeroVirt.ProviderKind.HYPERVISOR, "pyvm")


class PyCluster(GObject.Object, HeroVirt.ClusterProvider):
    """One namespace, "default"; implements only get."""

    def do_get(self, executor, kind, namespace, name, cancellable):
        path = kind.get_path(namespace, name)
        if path != "/api/v1/namespaces/default":
            raise GLib.Error.new_literal(HeroVirt.error_quark(), f"{path} not found", HeroVirt.Error.NOT_FOUND)
        return HeroVirt.kube_resource_new(kind, None, name)


@test
def python_cluster_provider():
    provider = PyCluster()
    namespaces = HeroVirt.ClusterKind.lookup("v1", "Namespace")
    node = provider.get(None, namespaces, None, "default", None)
    assert HeroVirt.kube_resource_get_kind(node) == "Namespace"
    assert provider.namespace_exists(None, "default", None)
    assert not provider.namespace_exists(None, "missing", None)
    expect_error(HeroVirt.Error.INVALID_ARGUMENT, provider.namespace_exists, None, "Bad_Name", None)
    expect_error(HeroVirt.Error.NOT_SUPPORTED, provider.namespace_create, None, "x", None)

    loop = GLib.MainLoop()
    answer = []

    def done(source, result):
        answer.append(source.namespace_exists_finish(result))
        loop.quit()

    provider.namespace_exists_async(None, "default", None, done)
    loop.run()
    assert answer == [True]


@test
def cluster_types():
    route = HeroVirt.ClusterKind.lookup("traefik.io/v1alpha1", "IngressRoute")
    assert route.get_path("apps", "web") == "/apis/traefik.io/v1alpha1/namespaces/apps/ingressroutes/web"
    expect_error(HeroVirt.Error.INVALID_ARGUMENT, HeroVirt.kube_validate_dns1123_label, "Not_Valid")
    node = HeroVirt.kube_resource_new(route, "apps", "web")
    assert HeroVirt.kube_resource_get_name(node) == "web"
    assert Json.to_string(node, False).startswith('{"apiVersion":"traefik.io/v1alpha1"')
    opts = HeroVirt.ClusterListOptions.new().add_label("app", "web")
    assert opts.get_label_selector() == "app=web"
    assert opts.validate()
    watch = HeroVirt.ClusterWatch.new()
    watch.push(HeroVirt.ClusterWatchEvent.new(HeroVirt.ClusterWatchEventType.ADDED, node))
    watch.close()
    event = watch.next(None)
    assert event.get_event_type() == HeroVirt.ClusterWatchEventType.ADDED
    assert watch.next(None) is None


if __name__ == "__main__":
    run()
