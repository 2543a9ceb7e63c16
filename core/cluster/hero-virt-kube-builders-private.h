/* hero-virt-kube-builders-private.h: what the Kubernetes resource builders
 * share inside the library; never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

/* Called from a subclass's init: the kind it builds. */
void _hero_virt_kube_resource_builder_set_kind (HeroVirtKubeResourceBuilder *self,
                                                const char                  *api_version,
                                                const char                  *kind);

/* Setters cannot fail in a chain: the first bad input is kept, with the
 * field it was for, and build()/apply() report it before any request.
 * @value is shown in the message: pass %NULL for secrets. */
void _hero_virt_kube_builder_invalid (gpointer    self,
                                      const char *field,
                                      const char *value,
                                      const char *why);
/* Keeps @error (taking it), prefixed with @field unless %NULL, if it is the first;
 * returns %TRUE if @error was %NULL. */
gboolean _hero_virt_kube_builder_take (gpointer self, const char *field, GError *error);

/* Hooks of the generated methods (kube-resource-builder-object.json). */
HeroVirtClusterProvider          *
_hero_virt_kube_resource_builder_lookup_provider (HeroVirtKubeResourceBuilder *self,
                                                           GCancellable                *cancellable,
                                                           GError                     **error);
gboolean _hero_virt_kube_resource_builder_check_name (HeroVirtKubeResourceBuilder *self,
                                                      GError                     **error);
HeroVirtClusterKind *_hero_virt_kube_resource_builder_dup_kind (HeroVirtKubeResourceBuilder *self);
const char          *_hero_virt_kube_resource_builder_ns (HeroVirtKubeResourceBuilder *self);

/* The labels set with label() (borrowed). */
JsonObject *_hero_virt_kube_resource_builder_get_labels (HeroVirtKubeResourceBuilder *self);

/* The pod spec of a pod or deployment builder, fields named under @field. */
JsonObject *_hero_virt_kube_workload_builder_pod_spec (HeroVirtKubeWorkloadBuilder *self,
                                                       const char                  *field,
                                                       GError                     **error);
const char *_hero_virt_kube_workload_builder_get_restart_policy (HeroVirtKubeWorkloadBuilder *self);

/* JSON helpers. */
JsonObject *_hero_virt_json_object_member (JsonObject *parent, const char *member);
JsonArray  *_hero_virt_json_array_member (JsonObject *parent, const char *member);
JsonArray  *_hero_virt_json_strv_array (const char *const *strv);
JsonObject *_hero_virt_json_object_copy (JsonObject *object);

/* Validators that name the field in their messages. */
gboolean _hero_virt_kube_check_port (const char *field, gint64 port, GError **error);
gboolean _hero_virt_kube_check_quantity (const char *field, const char *value, GError **error);
gboolean _hero_virt_kube_check_name (const char *field,
                                     const char *name,
                                     gboolean (*validator) (const char *, GError **),
                                     GError **error);
gboolean _hero_virt_kube_check_absolute_path (const char *field, const char *path, GError **error);
gboolean _hero_virt_kube_check_key (const char *field, const char *key, GError **error);

/* The probe's JSON (hero-virt-kube-probe.c). */
JsonObject *
_hero_virt_kube_probe_to_json (HeroVirtKubeProbe *probe, const char *field, GError **error);

G_END_DECLS
