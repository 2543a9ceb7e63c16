#!/usr/bin/python3
# values-test.py: the value types gen-value.py writes, through GObject
# Introspection: properties and getters agree, construct-only types take
# their values from the constructor, setters notify once per change (the
# libsoup way round, also through set_property), and the JSON forms
# round-trip.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json

import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, GObject, HeroVirt, Json  # noqa: E402
from tap import test, run  # noqa: E402

QEMU_INFO = {
    "filename": "/images/a.qcow2", "format": "qcow2", "virtual-size": 10485760,
    "actual-size": 200704, "cluster-size": 65536, "dirty-flag": False,
    "backing-filename": "base.qcow2", "backing-filename-format": "qcow2",
    "full-backing-filename": "/images/base.qcow2",
    "format-specific": {"type": "qcow2", "data": {
        "compat": "1.1", "lazy-refcounts": True, "refcount-bits": 16, "corrupt": False}},
    "snapshots": [{"id": "1", "name": "clean", "vm-state-size": 0, "date-sec": 1700000000,
                   "date-nsec": 5, "vm-clock-sec": 0, "vm-clock-nsec": 0, "icount": 7}],
}


def expect_parse_error(fn, *args):
    try:
        fn(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.PARSE), e.message
        return e
    raise AssertionError("no parse error")


def notifications(obj):
    seen = []
    obj.connect("notify", lambda o, pspec: seen.append(pspec.name))
    return seen


@test
def disk_info_reads_qemu_img_json():
    info = HeroVirt.DiskInfo.new_from_json(json.dumps(QEMU_INFO))
    assert info.props.virtual_size == info.get_virtual_size() == 10485760
    assert info.props.format == "qcow2"
    assert info.props.compat == info.get_compat() == "1.1"
    assert info.props.lazy_refcounts and info.get_refcount_bits() == 16
    assert info.get_backing_format() == "qcow2"
    assert info.get_full_backing_filename() == "/images/base.qcow2"
    snapshots = info.get_snapshots()
    assert [s.props.name for s in snapshots] == ["clean"]
    assert info.find_snapshot("clean").props.icount == 7
    assert info.find_snapshot("none") is None
    # The document comes back verbatim, members the type does not model too.
    assert json.loads(info.to_json(False)) == QEMU_INFO
    assert json.loads(Json.to_string(info.get_json_node(), False)) == QEMU_INFO


@test
def disk_info_rejects_what_is_not_an_image():
    expect_parse_error(HeroVirt.DiskInfo.new_from_json, "[1]")
    expect_parse_error(HeroVirt.DiskInfo.new_from_json, '{"format": "raw"}')
    expect_parse_error(HeroVirt.DiskInfo.new_from_json, '{"format": 3, "virtual-size": 0}')
    expect_parse_error(HeroVirt.DiskInfo.new_from_json, '{"format": "raw", "virtual-size": 0,'
                       ' "snapshots": [{"id": "1"}]}')
    # Wrong-typed optional members read as unset, as qemu-img output varies.
    info = HeroVirt.DiskInfo.new_from_json('{"format": "raw", "virtual-size": 512,'
                                           ' "cluster-size": "big"}')
    assert info.props.cluster_size == 0


@test
def check_result_counts():
    result = HeroVirt.DiskCheckResult.new_from_json(
        '{"check-errors": 0, "leaks": 2, "corruptions": 0, "total-clusters": 160}')
    assert not result.get_clean() and result.props.leaks == 2
    assert result.props.total_clusters == 160
    assert json.loads(result.to_json(False))["leaks"] == 2


@test
def construct_only_types_and_json_gobject_serialize():
    image = HeroVirt.ImageInfo(id="abc", names=["localhost/web:1"], created=17,
                               labels=["a=b", "c=d"])
    assert image.get_label("c") == "d" and image.get_label("x") is None
    same = json.loads(Json.gobject_to_data(image)[0])
    assert json.loads(image.to_json(False)) == same
    assert same == {"id": "abc", "names": ["localhost/web:1"], "created": 17,
                    "labels": ["a=b", "c=d"]}
    status = HeroVirt.ContainerStatus(id="i", state="running", running=True,
                                      health_status="healthy", labels=["k=v"])
    assert json.loads(status.to_json(False)) == {
        "id": "i", "state": "running", "running": True, "health": "healthy", "labels": ["k=v"]}
    container = HeroVirt.ImageContainerInfo(id="1", builder=False)
    assert json.loads(container.to_json(False)) == {"id": "1", "builder": False}
    stats = HeroVirt.ContainerStats(cpu_percent=1.5, pids=3)
    assert stats.get_cpu_percent() == 1.5 and stats.props.pids == 3


@test
def setters_notify_once_per_change():
    options = HeroVirt.DiskCreateOptions.new(1 << 30)
    assert options.props.format == "qcow2"
    seen = notifications(options)
    options.set_cluster_size(65536)
    options.set_cluster_size(65536)
    options.props.cluster_size = 65536
    options.props.compat = "1.1"
    options.set_compat("1.1")
    assert options.set_backing_file("/b.qcow2", None) is options
    assert sorted(seen) == ["backing-file", "cluster-size", "compat"], seen
    assert options.validate()

    info = HeroVirt.VmInfo.new("vm", HeroVirt.VmState.RUNNING)
    seen = notifications(info)
    info.set_pid(42).set_pid(42)
    info.props.pid = 42
    info.props.directory = "/vms/vm"
    info.set_directory("/vms/vm")
    assert seen == ["pid", "directory"], seen
    assert info.get_pid() == 42 and info.is_running()

    selector = HeroVirt.ClusterListOptions.new().add_label("app", "web")
    assert selector.props.label_selector == "app=web" and selector.validate()


@test
def vm_info_json_round_trip():
    details = Json.from_string('{"memory_actual_size": 536870912}')
    info = HeroVirt.VmInfo.new("vm", HeroVirt.VmState.PAUSED)
    info.set_pid(7).set_api_socket("/vms/vm/api.sock").set_details(details)
    text = info.to_json(False)
    assert json.loads(text) == {"id": "vm", "state": "paused", "pid": 7,
                                "api_socket": "/vms/vm/api.sock",
                                "details": {"memory_actual_size": 536870912}}
    again = HeroVirt.VmInfo.new_from_json(text)
    assert again.to_json(False) == text
    expect_parse_error(HeroVirt.VmInfo.new_from_json, '{"id": "vm", "pid": -1}')
    expect_parse_error(HeroVirt.VmInfo.new_from_json, '{"id": 3}')


@test
def watch_event_json_is_the_stream_shape():
    line = '{"type":"DELETED","object":{"kind":"Pod"}}'
    event = HeroVirt.ClusterWatchEvent.new_from_json(Json.from_string(line))
    assert event.props.event_type == HeroVirt.ClusterWatchEventType.DELETED
    assert json.loads(event.to_json(False)) == json.loads(line)


@test
def every_value_type_property_has_a_getter():
    for cls in (HeroVirt.DiskSnapshot, HeroVirt.DiskInfo, HeroVirt.DiskCheckResult,
                HeroVirt.DiskCreateOptions, HeroVirt.BaseImageResult, HeroVirt.ImageInfo,
                HeroVirt.ImageContainerInfo, HeroVirt.ContainerStatus,
                HeroVirt.ContainerStats, HeroVirt.ContainerImage, HeroVirt.VmInfo,
                HeroVirt.VmDisk, HeroVirt.ClusterWatchEvent, HeroVirt.ClusterListOptions):
        for pspec in cls.list_properties():
            getter = "get_" + pspec.name.replace("-", "_")
            assert hasattr(cls, getter), "%s has no %s" % (cls.__name__, getter)
            assert pspec.flags & GObject.ParamFlags.READABLE


if __name__ == "__main__":
    run()
