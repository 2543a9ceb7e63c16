/* hero-virt-cluster-list-options-extra.c: what the generated
 * ClusterListOptions does not write: add_label and validate
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_cluster_list_options_add_label:
 * @self: a #HeroVirtClusterListOptions
 * @key: a label key
 * @value: (nullable): the value it must have, or %NULL to require only
 *   that the label exists
 *
 * Adds the requirement `key=value` (or `key`) to
 * [property@HeroVirt.ClusterListOptions:label-selector]. Malformed keys
 * and values are reported by [method@HeroVirt.ClusterListOptions.validate].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_add_label (HeroVirtClusterListOptions *self,
                                          const char                 *key,
                                          const char                 *value)
{
  g_autoptr (GString) selector = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  selector = g_string_new (hero_virt_cluster_list_options_get_label_selector (self));
  if (selector->len > 0)
    g_string_append_c (selector, ',');
  g_string_append (selector, key);
  if (value != NULL)
    g_string_append_printf (selector, "=%s", value);
  return hero_virt_cluster_list_options_set_label_selector (self, selector->str);
}

/**
 * hero_virt_cluster_list_options_validate:
 * @self: a #HeroVirtClusterListOptions
 * @error: return location for a #GError
 *
 * Checks the selectors' syntax, label keys and values, so a typo fails
 * before any request. Providers call this first in list and watch.
 *
 * Returns: %TRUE if the options are valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_list_options_validate (HeroVirtClusterListOptions *self, GError **error)
{
  const char *label_selector, *field_selector;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), FALSE);

  label_selector = hero_virt_cluster_list_options_get_label_selector (self);
  field_selector = hero_virt_cluster_list_options_get_field_selector (self);
  return hero_virt_validate_text ("label-selector", label_selector, error)
         && hero_virt_validate_text ("field-selector", field_selector, error)
         && hero_virt_validate_text (
             "continue-token", hero_virt_cluster_list_options_get_continue_token (self), error)
         && hero_virt_validate_text (
             "resource-version", hero_virt_cluster_list_options_get_resource_version (self), error)
         && (label_selector == NULL
             || hero_virt_kube_validate_label_selector (label_selector, error))
         && (field_selector == NULL
             || hero_virt_kube_validate_field_selector (field_selector, error));
}
