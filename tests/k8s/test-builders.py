#!/usr/bin/env python3
# The fluent Kubernetes resource builders from Python (GObject
# Introspection), against hero-virt-kube-sim: chaining, build()/to_json()
# field by field, apply() creating then updating, async apply,
# validation before any request (the simulator's request count), Traefik
# objects, NamespaceBuilder.reset() and md(). TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap, require, binary  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, HeroVirt, Json  # noqa: E402

E = HeroVirt.Error


def admin(sim, method, path):
    return sim.request(method, path)[1]


def requests_served(sim):
    return admin(sim, "GET", "/kube-sim/requests")["total"]


def manager(sim, ns="default"):
    config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1)
    return HeroVirt.KubernetesManager.new_full(ns, sim.kubeconfig, None, config)


def obj(builder):
    return json.loads(builder.to_json(False))


def invalid(func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.domain == "hero-virt-error-quark" and e.code == E.INVALID_ARGUMENT, e.message
        return e.message
    raise AssertionError("expected INVALID_ARGUMENT")


def test_chaining_and_build(sim):
    km = manager(sim, "apps")
    probe = HeroVirt.KubeProbe.new_exec(["pg_isready"]).initial_delay(5).period(10).failure_threshold(3)
    d = (HeroVirt.DeploymentBuilder.new(km, "db")
         .image("postgres:16").port_full("pg", 5432, None)
         .env("POSTGRES_DB", "app").env_from_secret("POSTGRES_PASSWORD", "db-creds", "password")
         .env_from_config_map("TZ", "settings", "tz")
         .command(["docker-entrypoint.sh"]).args(["postgres", "-c", "fsync=off"])
         .requests("500m", "256Mi").limits("2", "1Gi")
         .readiness_probe(probe)
         .liveness_probe(HeroVirt.KubeProbe.new_tcp_socket(5432))
         .volume_secret("tls", "db-tls", "/tls").volume_empty_dir("run", "/var/run/postgresql")
         .node_selector("disk", "ssd").privileged(False)
         .label("tier", "data").annotation("example.com/owner", "team-a")
         .replicas(2))
    assert isinstance(d, HeroVirt.DeploymentBuilder)
    o = obj(d)
    assert o["apiVersion"] == "apps/v1" and o["kind"] == "Deployment"
    assert o["metadata"] == {"name": "db", "namespace": "apps", "labels": {"tier": "data", "app": "db"},
                             "annotations": {"example.com/owner": "team-a"}}
    spec = o["spec"]
    assert spec["replicas"] == 2
    assert spec["selector"] == {"matchLabels": {"app": "db"}}
    assert spec["template"]["metadata"]["labels"] == {"tier": "data", "app": "db"}
    pod = spec["template"]["spec"]
    c = pod["containers"][0]
    assert c["name"] == "db" and c["image"] == "postgres:16"
    assert c["ports"] == [{"name": "pg", "containerPort": 5432, "protocol": "TCP"}]
    assert c["env"] == [
        {"name": "POSTGRES_DB", "value": "app"},
        {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-creds", "key": "password"}}},
        {"name": "TZ", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "tz"}}},
    ]
    assert c["command"] == ["docker-entrypoint.sh"] and c["args"] == ["postgres", "-c", "fsync=off"]
    assert c["resources"] == {"requests": {"cpu": "500m", "memory": "256Mi"},
                              "limits": {"cpu": "2", "memory": "1Gi"}}
    assert c["readinessProbe"] == {"exec": {"command": ["pg_isready"]}, "initialDelaySeconds": 5,
                                   "periodSeconds": 10, "failureThreshold": 3}
    assert c["livenessProbe"] == {"tcpSocket": {"port": 5432}}
    assert c["volumeMounts"] == [{"name": "tls", "mountPath": "/tls", "readOnly": True},
                                 {"name": "run", "mountPath": "/var/run/postgresql"}]
    assert c["securityContext"] == {"privileged": False}
    assert pod["volumes"] == [{"name": "tls", "secret": {"secretName": "db-tls"}},
                              {"name": "run", "emptyDir": {}}]
    assert pod["nodeSelector"] == {"disk": "ssd"}
    # build() gives the same object as a Json.Node
    node = d.build()
    assert json.loads(Json.to_string(node, False)) == o
    # properties work as constructor arguments
    p = HeroVirt.DeploymentBuilder(manager=km, name="web", replicas=4)
    p.image("nginx:1.27")
    assert obj(p)["spec"]["replicas"] == 4 and p.props.replicas == 4
    # the other kinds
    s = HeroVirt.ServiceBuilder.new(km, "db").port(5432, 0).service_type("NodePort")
    assert obj(s)["spec"] == {"ports": [{"protocol": "TCP", "port": 5432, "targetPort": 5432}],
                              "type": "NodePort", "selector": {"app": "db"}}
    cm = HeroVirt.ConfigMapBuilder.new(km, "settings").data("tz", "UTC").binary_data("b", GLib.Bytes.new(b"\x01"))
    assert obj(cm)["data"] == {"tz": "UTC"} and obj(cm)["binaryData"] == {"b": "AQ=="}
    sec = HeroVirt.SecretBuilder.new(km, "db-creds").data("password", "pw").string_data("user", "u")
    assert obj(sec)["type"] == "Opaque" and obj(sec)["data"] == {"password": "cHc="}
    assert obj(sec)["stringData"] == {"user": "u"}
    pod = HeroVirt.PodBuilder.new(None, "one").container("main").image("busybox").restart_policy("OnFailure")
    po = obj(pod)
    assert "namespace" not in po["metadata"]
    assert po["spec"]["containers"][0]["name"] == "main" and po["spec"]["restartPolicy"] == "OnFailure"


def test_apply_create_then_update(sim):
    km = manager(sim)
    d = HeroVirt.DeploymentBuilder.new(km, "counter").image("nginx:1.27").port(80)
    first = json.loads(Json.to_string(d.apply(None), False))
    assert first["spec"]["replicas"] == 1
    d.replicas(3).env("MODE", "fast")
    second = json.loads(Json.to_string(d.apply(None), False))
    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    got = json.loads(Json.to_string(km.deployment_get("counter", None), False))
    assert got["spec"]["replicas"] == 3
    assert got["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "MODE", "value": "fast"}]
    km.wait_for(d.get_kind(), "counter", "rollout", 30000, None)
    # async apply
    loop = GLib.MainLoop()
    result = {}

    def done(source, res):
        try:
            result["node"] = source.apply_finish(res)
        except GLib.Error as e:
            result["error"] = e
        loop.quit()

    d.replicas(1).apply_async(None, done)
    loop.run()
    assert "error" not in result, result.get("error")
    assert json.loads(Json.to_string(result["node"], False))["spec"]["replicas"] == 1
    assert d.delete(None)


def test_validation_before_any_request(sim):
    km = manager(sim)
    cases = [
        (HeroVirt.PodBuilder.new(km, "Bad_Name").image("nginx"), "metadata.name"),
        (HeroVirt.PodBuilder.new(km, "noimage"), "spec.containers[0].image"),
        (HeroVirt.PodBuilder.new(km, "p").image("nginx").label("app", "x" * 64), "metadata.labels"),
        (HeroVirt.PodBuilder.new(km, "p").image("nginx").requests("lots", None),
         "spec.containers[0].resources.requests.cpu"),
        (HeroVirt.PodBuilder.new(km, "p").image("nginx").readiness_probe(
            HeroVirt.KubeProbe.new_http_get("healthz", 80)), "spec.containers[0].readinessProbe.httpGet.path"),
        (HeroVirt.DeploymentBuilder.new(km, "d").image("nginx").replicas(-2), "spec.replicas"),
        (HeroVirt.ServiceBuilder.new(km, "s").port(80, 0).port(81, 0), "spec.ports[0].name"),
        (HeroVirt.SecretBuilder.new(km, "s").data("../etc", "x"), "data"),
        (HeroVirt.IngressRouteBuilder.new(km, "r").entry_point("web"), "spec.routes"),
        (HeroVirt.IngressRouteBuilder.new(km, "r").route("Host(`a`)").service("svc", 0), "spec.routes[0].services[0].port"),
        (HeroVirt.IngressRouteBuilder.new(km, "r").route("Host(`a`)").weighted_service("svc", 80, -1),
         "spec.routes[0].services[0].weight"),
        (HeroVirt.IngressRouteBuilder.new(km, "r").service("svc", 80), "spec.routes"),
        (HeroVirt.MiddlewareBuilder.new(km, "m").strip_prefix("/a").redirect_scheme("https", True), "spec"),
        (HeroVirt.TlsOptionBuilder.new(km, "t").min_version("VersionTLS14"), "spec.minVersion"),
        (HeroVirt.NamespaceBuilder.new(km, "x" * 64), "metadata.name"),
    ]
    before = requests_served(sim)
    for builder, field in cases:
        message = invalid(builder.apply, None)
        assert field in message, (field, message)
    assert requests_served(sim) == before, "a request was sent for invalid input"
    # the names were never created
    try:
        km.pod_get("noimage", None)
        raise AssertionError("pod exists")
    except GLib.Error as e:
        assert e.code == E.NOT_FOUND


def test_traefik(sim):
    km = manager(sim)
    rule = HeroVirt.traefik_and([HeroVirt.traefik_host("shop.example"),
                                 HeroVirt.traefik_or([HeroVirt.traefik_path_prefix("/api"),
                                                      HeroVirt.traefik_headers("X-Api", "1")])])
    assert rule == "Host(`shop.example`) && (PathPrefix(`/api`) || Headers(`X-Api`, `1`))"
    assert HeroVirt.traefik_quote("we`ird\\") == '"we`ird\\\\"'
    HeroVirt.MiddlewareBuilder.new(km, "https").redirect_scheme("https", True).apply(None)
    HeroVirt.MiddlewareBuilder.new(km, "auth").basic_auth("htpasswd").apply(None)
    HeroVirt.TlsOptionBuilder.new(km, "strict").min_version("VersionTLS12").sni_strict(True).apply(None)
    r = (HeroVirt.IngressRouteBuilder.new(km, "shop")
         .entry_point("websecure")
         .route(rule).weighted_service("shop-v1", 80, 3).weighted_service("shop-v2", 80, 1)
         .middleware("auth", None).middleware("https", None)
         .tls_secret("shop-tls").tls_options("strict", None))
    stored = json.loads(Json.to_string(r.apply(None), False))
    assert stored["apiVersion"] == "traefik.io/v1alpha1" and stored["kind"] == "IngressRoute"
    route = stored["spec"]["routes"][0]
    assert route["match"] == rule
    assert [(s["name"], s["port"], s["weight"]) for s in route["services"]] == [("shop-v1", 80, 3), ("shop-v2", 80, 1)]
    assert route["middlewares"] == [{"name": "auth"}, {"name": "https"}]
    assert stored["spec"]["tls"] == {"secretName": "shop-tls", "options": {"name": "strict"}}
    kind = HeroVirt.ClusterKind.lookup("traefik.io/v1alpha1", "Middleware")
    got = json.loads(Json.to_string(km.get(kind, "auth", None), False))
    assert got["spec"] == {"basicAuth": {"secret": "htpasswd"}}


def test_namespace_reset_md(sim):
    km = manager(sim)
    ns = HeroVirt.NamespaceBuilder.new(km, "py-ns").label("env", "test")
    ns.apply(None)
    ns.config_map("leftover").data("a", "b").apply(None)
    ns.secret("token").data("value", "very-secret").apply(None)
    ns.deployment("api").image("nginx:1.27").replicas(1).apply(None)
    ns.get_namespace_manager().wait_for(HeroVirt.ClusterKind.lookup("apps/v1", "Deployment"), "api",
                                        "rollout", 30000, None)
    md = ns.md(None)
    assert md.startswith("# Namespace `py-ns`"), md
    assert "| api | 1/1 |" in md and "| leftover | a |" in md and "| token | Opaque | value |" in md
    assert "very-secret" not in md
    # async reset: everything goes, the namespace comes back with its labels
    loop = GLib.MainLoop()
    out = {}

    def done(source, res):
        try:
            out["ok"] = source.reset_finish(res)
        except GLib.Error as e:
            out["error"] = e
        loop.quit()

    ns.reset_async(30000, None, done)
    loop.run()
    assert out.get("ok"), out
    nsm = ns.get_namespace_manager()
    names = [HeroVirt.kube_resource_get_name(i) for i in HeroVirt.kube_list_get_items(nsm.configmaps_list(None))]
    assert "leftover" not in names, names
    assert HeroVirt.kube_list_get_items(nsm.deployments_list(None)) == []
    got = json.loads(Json.to_string(km.get(ns.get_kind(), "py-ns", None), False))
    assert got["metadata"]["labels"]["env"] == "test" and got["status"]["phase"] == "Active"
    md = ns.md(None)
    assert "## Deployments (0)" in md and "## Secrets (0)" in md, md
    ns.delete(None)


def main():
    require(binary(), "hero-virt-kube-sim")
    tap = Tap()
    with Simulator() as sim:
        tap.run("chaining and build() field by field", test_chaining_and_build, sim)
        tap.run("apply() creates, then updates; async apply", test_apply_create_then_update, sim)
        tap.run("validation before any request", test_validation_before_any_request, sim)
        tap.run("Traefik IngressRoute, Middleware, TLSOption", test_traefik, sim)
        tap.run("NamespaceBuilder reset() and md()", test_namespace_reset_md, sim)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
