/* hero-virt-cluster-list-options-extra.c: what the generated
 * ClusterListOptions does not write: add_label and the selector checks
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

static gboolean
selector_error (GError **error, const char *what, const char *requirement, const char *why)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Invalid %s selector requirement “%s”: %s", what, requirement, why);
  return FALSE;
}

/* Splits on commas outside parentheses, so `k in (a,b)` stays whole. */
static GPtrArray *
split_requirements (const char *selector)
{
  GPtrArray  *parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = selector;
  int         depth = 0;

  for (const char *p = selector;; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if ((*p == ',' && depth == 0) || *p == '\0')
        {
          g_ptr_array_add (parts, g_strstrip (g_strndup (start, p - start)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return parts;
}

static gboolean
validate_set (const char *requirement, const char *values, GError **error)
{
  g_autofree char *inner = NULL;
  g_auto (GStrv) items = NULL;
  size_t len = strlen (values);

  if (len < 2 || values[0] != '(' || values[len - 1] != ')')
    return selector_error (error, "label", requirement, "expected a parenthesised list of values");
  inner = g_strndup (values + 1, len - 2);
  items = g_strsplit (inner, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (!hero_virt_kube_validate_label_value (g_strstrip (items[i]), NULL))
      return selector_error (error, "label", requirement, "invalid label value in the list");
  return TRUE;
}

static gboolean
validate_label_requirement (const char *req, GError **error)
{
  static const char *const set_ops[] = { " notin ", " in " };
  const char              *op;
  g_autofree char         *key = NULL;

  if (*req == '\0')
    return selector_error (error, "label", req, "empty requirement");
  if (*req == '!')
    return hero_virt_kube_validate_label_key (req + 1, NULL)
           || selector_error (error, "label", req, "invalid label key");
  for (guint i = 0; i < G_N_ELEMENTS (set_ops); i++)
    {
      op = strstr (req, set_ops[i]);
      if (op == NULL)
        continue;
      g_autofree char *values = g_strstrip (g_strdup (op + strlen (set_ops[i])));

      key = g_strstrip (g_strndup (req, op - req));
      if (!hero_virt_kube_validate_label_key (key, NULL))
        return selector_error (error, "label", req, "invalid label key");
      return validate_set (req, values, error);
    }
  op = strpbrk (req, "!=");
  key = g_strstrip (g_strndup (req, op ? (size_t)(op - req) : strlen (req)));
  if (!hero_virt_kube_validate_label_key (key, NULL))
    return selector_error (error, "label", req, "invalid label key");
  if (op == NULL)
    return TRUE;
  if (op[0] == '!' && op[1] != '=')
    return selector_error (error, "label", req, "expected “!=”");
  op += (op[0] == '!' || op[1] == '=') ? 2 : 1;
  while (*op == ' ')
    op++;
  if (!hero_virt_kube_validate_label_value (op, NULL))
    return selector_error (error, "label", req, "invalid label value");
  return TRUE;
}

static gboolean
validate_field_requirement (const char *req, GError **error)
{
  const char *op = strpbrk (req, "!=");
  size_t      key_len = op ? (size_t)(op - req) : 0;

  if (op == NULL || key_len == 0
      || strspn (req, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
             != key_len)
    return selector_error (error, "field", req,
                           "expected field=value, field==value or field!=value");
  if (op[0] == '!' && op[1] != '=')
    return selector_error (error, "field", req, "expected “!=”");
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar)*s < 0x20 || *s == 0x7f)
      return TRUE;
  return FALSE;
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
  static const char *const names[]
      = { "label-selector", "field-selector", "continue-token", "resource-version" };
  const char *values[G_N_ELEMENTS (names)];

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), FALSE);

  values[0] = hero_virt_cluster_list_options_get_label_selector (self);
  values[1] = hero_virt_cluster_list_options_get_field_selector (self);
  values[2] = hero_virt_cluster_list_options_get_continue_token (self);
  values[3] = hero_virt_cluster_list_options_get_resource_version (self);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL && has_control_chars (values[i]))
      {
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                     "List option “%s” contains control characters", names[i]);
        return FALSE;
      }
  if (values[0] != NULL && *values[0] != '\0')
    {
      g_autoptr (GPtrArray) reqs = split_requirements (values[0]);

      for (guint i = 0; i < reqs->len; i++)
        if (!validate_label_requirement (g_ptr_array_index (reqs, i), error))
          return FALSE;
    }
  if (values[1] != NULL && *values[1] != '\0')
    {
      g_autoptr (GPtrArray) reqs = split_requirements (values[1]);

      for (guint i = 0; i < reqs->len; i++)
        if (!validate_field_requirement (g_ptr_array_index (reqs, i), error))
          return FALSE;
    }
  return TRUE;
}
