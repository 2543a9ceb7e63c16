/* hero-virt-kube-resource-builder.h: what every fluent Kubernetes resource
 * builder shares (name, labels, annotations, build, apply)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-cluster-kind.h"
#include "hero-virt-kubernetes-manager.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER (hero_virt_kube_resource_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (HeroVirtKubeResourceBuilder,
                          hero_virt_kube_resource_builder,
                          HERO_VIRT,
                          KUBE_RESOURCE_BUILDER,
                          GObject)

/**
 * HeroVirtKubeResourceBuilderClass:
 * @parent_class: the parent class
 * @build_into: adds what the subclass describes (`spec`, `data`, …) to
 *   @object, which already holds `apiVersion`, `kind` and `metadata`;
 *   returns %FALSE with %HERO_VIRT_ERROR_INVALID_ARGUMENT, naming the
 *   field, if something is missing or wrong
 *
 * The class of the resource builders.
 *
 * Since: 0.1
 */
struct _HeroVirtKubeResourceBuilderClass
{
  GObjectClass parent_class;

  gboolean (*build_into) (HeroVirtKubeResourceBuilder *self, JsonObject *object, GError **error);

  /*< private >*/
  gpointer padding[8];
};

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_builder_get_name (HeroVirtKubeResourceBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesManager *
hero_virt_kube_resource_builder_get_manager (HeroVirtKubeResourceBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterKind *hero_virt_kube_resource_builder_get_kind (HeroVirtKubeResourceBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeResourceBuilder *
hero_virt_kube_resource_builder_label (HeroVirtKubeResourceBuilder *self,
                                       const char                  *key,
                                       const char                  *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeResourceBuilder *
hero_virt_kube_resource_builder_annotation (HeroVirtKubeResourceBuilder *self,
                                            const char                  *key,
                                            const char                  *value);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_resource_builder_validate (HeroVirtKubeResourceBuilder *self,
                                                   GError                     **error);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_kube_resource_builder_build (HeroVirtKubeResourceBuilder *self, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_kube_resource_builder_to_json (HeroVirtKubeResourceBuilder *self,
                                               gboolean                     pretty,
                                               GError                     **error);

G_END_DECLS

#include "hero-virt-kube-resource-builder-object.h"
