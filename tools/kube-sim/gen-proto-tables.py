#!/usr/bin/env python3
# Writes ks-proto-tables.c: the protobuf field numbers of the kinds kubectl
# sends as application/vnd.kubernetes.protobuf (its typed clients, e.g.
# "kubectl create configmap"), read from the generated.proto files of
# k8s.io/api and k8s.io/apimachinery. Only numbers, names and types are kept.
#
#   gen-proto-tables.py ks-proto-tables.c FILE.proto... && clang-format -i ks-proto-tables.c
#
# with the generated.proto files of k8s.io/api (core/v1, apps/v1, autoscaling/v1, batch/v1,
# networking/v1, policy/v1, rbac/v1, coordination/v1, authorization/v1, authentication/v1) and
# k8s.io/apimachinery (pkg/apis/meta/v1, pkg/runtime, pkg/util/intstr, pkg/api/resource).
# SPDX-License-Identifier: LGPL-2.1-or-later
import re
import sys

ROOTS = [
    ("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap"),
    ("v1", "Secret", "k8s.io.api.core.v1.Secret"),
    ("v1", "Namespace", "k8s.io.api.core.v1.Namespace"),
    ("v1", "ServiceAccount", "k8s.io.api.core.v1.ServiceAccount"),
    ("v1", "Service", "k8s.io.api.core.v1.Service"),
    ("v1", "Pod", "k8s.io.api.core.v1.Pod"),
    ("v1", "Endpoints", "k8s.io.api.core.v1.Endpoints"),
    ("v1", "Event", "k8s.io.api.core.v1.Event"),
    ("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment"),
    ("apps/v1", "ReplicaSet", "k8s.io.api.apps.v1.ReplicaSet"),
    ("autoscaling/v1", "Scale", "k8s.io.api.autoscaling.v1.Scale"),
    ("v1", "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions"),
    ("apps/v1", "StatefulSet", "k8s.io.api.apps.v1.StatefulSet"),
    ("apps/v1", "DaemonSet", "k8s.io.api.apps.v1.DaemonSet"),
    ("batch/v1", "Job", "k8s.io.api.batch.v1.Job"),
    ("batch/v1", "CronJob", "k8s.io.api.batch.v1.CronJob"),
    ("networking.k8s.io/v1", "Ingress", "k8s.io.api.networking.v1.Ingress"),
    ("networking.k8s.io/v1", "NetworkPolicy", "k8s.io.api.networking.v1.NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget", "k8s.io.api.policy.v1.PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role", "k8s.io.api.rbac.v1.Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "k8s.io.api.rbac.v1.RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "k8s.io.api.rbac.v1.ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "k8s.io.api.rbac.v1.ClusterRoleBinding"),
    ("coordination.k8s.io/v1", "Lease", "k8s.io.api.coordination.v1.Lease"),
    ("v1", "PersistentVolumeClaim", "k8s.io.api.core.v1.PersistentVolumeClaim"),
    ("v1", "ResourceQuota", "k8s.io.api.core.v1.ResourceQuota"),
    ("v1", "LimitRange", "k8s.io.api.core.v1.LimitRange"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview",
     "k8s.io.api.authorization.v1.SelfSubjectAccessReview"),
    ("authentication.k8s.io/v1", "SelfSubjectReview", "k8s.io.api.authentication.v1.SelfSubjectReview"),
    # older kubectl (1.26, 1.27) ask the beta and alpha versions: the same fields
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview",
     "k8s.io.api.authentication.v1.SelfSubjectReview"),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview",
     "k8s.io.api.authentication.v1.SelfSubjectReview"),
]
# Decoded by hand in ks-proto.c.
SPECIAL = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "k8s.io.apimachinery.pkg.runtime.RawExtension",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
    "k8s.io.apimachinery.pkg.api.resource.Quantity",
}
SCALARS = {"string": "s", "bytes": "y", "bool": "b", "int32": "i", "int64": "l", "double": "d",
           "float": "f"}

messages = {}
for path in sys.argv[2:]:
    package = None
    current = None
    for line in open(path):
        line = line.split("//")[0].strip()
        m = re.match(r"package ([\w.]+);", line)
        if m:
            package = m.group(1)
            continue
        m = re.match(r"message (\w+) \{", line)
        if m:
            current = f"{package}.{m.group(1)}"
            messages[current] = []
            continue
        if line == "}":
            current = None
            continue
        if current is None:
            continue
        m = re.match(r"(optional|repeated) ([\w.]+) (\w+) = (\d+);", line)
        if m:
            label, typ, name, num = m.groups()
            messages[current].append((int(num), name, label == "repeated", None, typ, package))
            continue
        m = re.match(r"map<(\w+), ?([\w.]+)> (\w+) = (\d+);", line)
        if m:
            key, typ, name, num = m.groups()
            messages[current].append((int(num), name, False, key, typ, package))


def resolve(typ, package):
    if typ in SCALARS:
        return SCALARS[typ]
    if typ.startswith("."):
        typ = typ[1:]
    if typ in messages or typ in SPECIAL:
        return "m:" + typ
    full = f"{package}.{typ}"
    if full in messages or full in SPECIAL:
        return "m:" + full
    return "x"  # a type from a file not given: its fields are skipped


needed, queue = [], [r[2] for r in ROOTS]
while queue:
    name = queue.pop(0)
    if name in needed or name in SPECIAL:
        continue
    needed.append(name)
    for num, field, rep, key, typ, package in messages[name]:
        t = resolve(typ, package)
        if t == "x":
            continue
        if t.startswith("m:"):
            queue.append(t[2:])

with open(sys.argv[1], "w") as out:
    out.write("/* ks-proto-tables.c: generated by gen-proto-tables.py; do not edit.\n"
              " * Protobuf field numbers of the kinds kubectl may send as protobuf.\n"
              " * \"M name\" starts a message; \"F number json-name type\" is a field, the\n"
              " * type a scalar (s y b i l d f), m:Message, or r<type> (repeated), or\n"
              " * map:<key>:<type>. \"R apiVersion kind message\" maps a kind. */\n")
    out.write('#include "ks-proto.h"\n\nconst char *const ks_proto_table[] = {\n')
    for api_version, kind, msg in ROOTS:
        out.write(f'  "R {api_version} {kind} {msg}",\n')
    for name in needed:
        out.write(f'  "M {name}",\n')
        for num, field, rep, key, typ, package in sorted(messages[name]):
            t = resolve(typ, package)
            if t == "x":
                continue
            if key is not None:
                t = f"map:{SCALARS[key]}:{t}"
            elif rep:
                t = "r" + t
            out.write(f'  "F {num} {field} {t}",\n')
    out.write("  NULL,\n};\n")
print(f"{len(needed)} messages", file=sys.stderr)
