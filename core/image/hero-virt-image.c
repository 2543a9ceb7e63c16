/* hero-virt-image.c: the validators for names, references and host paths,
 * and the hooks of the image functions generated from image-object.json
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/* The grammar of distribution/reference (what buildah, podman and the
 * registry accept), anchored; a transport prefix (`docker://`) is not part
 * of a reference. */
#define DOMAIN_COMPONENT "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define DOMAIN DOMAIN_COMPONENT "(?:\\." DOMAIN_COMPONENT ")*(?::[0-9]{1,5})?"
#define PATH_COMPONENT "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
#define NAME "(?:" DOMAIN "/)?" PATH_COMPONENT "(?:/" PATH_COMPONENT ")*"
#define TAG "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
#define DIGEST "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
#define REFERENCE "^(" NAME ")(?::" TAG ")?(?:@" DIGEST ")?$"

static GRegex *
compile_once (GRegex **slot, const char *pattern)
{
  if (g_once_init_enter (slot))
    g_once_init_leave (slot,
                       g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_DOLLAR_ENDONLY, 0, NULL));
  return *slot;
}

/**
 * hero_virt_validate_image_reference:
 * @reference: an image reference such as `localhost/web:1`,
 *   `127.0.0.1:5000/team/app@sha256:…` or an image ID
 * @error: return location for a #GError
 *
 * Checks @reference against the OCI distribution reference grammar:
 * an optional registry host (with port), lower-case path components, an
 * optional tag and digest; at most 255 bytes of name. A leading `-`, a
 * transport prefix, white space, control characters and `..` are refused.
 *
 * Returns: %TRUE if @reference is acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_image_reference (const char *reference, GError **error)
{
  static GRegex *re;
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *name = NULL;

  if (reference == NULL || *reference == '\0')
    {
      hero_virt_set_invalid_argument (error, "image reference", "", "it is empty");
      return FALSE;
    }
  if (reference[0] == '-')
    {
      hero_virt_set_invalid_argument (error, "image reference", reference,
                                      "it must not start with “-”");
      return FALSE;
    }
  if (!g_regex_match (compile_once (&re, REFERENCE), reference, 0, &match))
    {
      hero_virt_set_invalid_argument (
          error, "image reference", reference,
          "expected [registry[:port]/]name[:tag][@digest] with a lower-case name");
      return FALSE;
    }
  name = g_match_info_fetch (match, 1);
  if (strlen (name) > 255)
    {
      hero_virt_set_invalid_argument (error, "image reference", reference,
                                      "the name is longer than 255 characters");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_validate_container_name:
 * @name: a container name or ID
 * @error: return location for a #GError
 *
 * Checks a container name: 1 to 253 characters from `[a-zA-Z0-9_.-]`,
 * starting with a letter or digit (what buildah and podman accept).
 *
 * Returns: %TRUE if @name is acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_container_name (const char *name, GError **error)
{
  static GRegex *re;

  if (name == NULL
      || !g_regex_match (compile_once (&re, "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,252}$"), name, 0, NULL))
    {
      hero_virt_set_invalid_argument (
          error, "container name", name ? name : "",
          "use 1 to 253 letters, digits, “_”, “.” and “-”, starting with a letter or digit");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_resolve_host_path:
 * @root: (nullable) (type filename): the directory relative paths are
 *   taken from and must stay inside, or %NULL
 * @path: (type filename): a path on the executor's host
 * @error: return location for a #GError
 *
 * Resolves @path lexically (without touching the file system). A relative
 * @path is taken from @root and may not leave it through `..`; an absolute
 * @path is taken as is but may not contain `..` at all, nor may any path
 * contain control characters.
 *
 * Returns: (transfer full) (type filename): the resolved path, or %NULL
 *   with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
char *
hero_virt_resolve_host_path (const char *root, const char *path, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GString) out = NULL;
  gboolean absolute;

  if (path == NULL || *path == '\0')
    {
      hero_virt_set_invalid_argument (error, "path", "", "it is empty");
      return NULL;
    }
  for (const char *p = path; *p; p++)
    if ((guchar)*p < 0x20)
      {
        hero_virt_set_invalid_argument (error, "path", path, "control characters are not allowed");
        return NULL;
      }

  absolute = g_path_is_absolute (path);
  if (!absolute && root == NULL)
    {
      hero_virt_set_invalid_argument (error, "path", path,
                                      "a relative path needs a context directory");
      return NULL;
    }

  parts = g_strsplit (path, "/", -1);
  kept = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          if (absolute || kept->len == 0)
            {
              hero_virt_set_invalid_argument (error, "path", path,
                                              absolute ? "“..” is not allowed in an absolute path"
                                                       : "it leaves its directory through “..”");
              return NULL;
            }
          g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, parts[i]);
    }

  out = g_string_new (absolute ? "" : root);
  if (!absolute)
    while (out->len > 1 && out->str[out->len - 1] == '/')
      g_string_truncate (out, out->len - 1);
  for (guint i = 0; i < kept->len; i++)
    {
      if (out->len == 0 || out->str[out->len - 1] != '/')
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (kept, i));
    }
  if (out->len == 0)
    g_string_append_c (out, '/');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Hooks of the generated functions (image-object.json). */

char **
_hero_virt_image_one_name (const char *name)
{
  char **names = g_new0 (char *, 2);

  names[0] = g_strdup (name);
  return names;
}

const char *
_hero_virt_image_strip_transport (const char *destination)
{
  if (destination != NULL && g_str_has_prefix (destination, "docker://"))
    return destination + strlen ("docker://");
  return destination;
}

gboolean
_hero_virt_image_check_build (const char        *context_dir,
                              const char        *containerfile,
                              const char *const *build_args,
                              GError           **error)
{
  g_autofree char *dir = hero_virt_resolve_host_path (NULL, context_dir, error);
  g_autofree char *file = NULL;

  if (dir == NULL)
    return FALSE;
  if (containerfile != NULL
      && (file = hero_virt_resolve_host_path (dir, containerfile, error)) == NULL)
    return FALSE;
  for (guint i = 0; build_args != NULL && build_args[i] != NULL; i++)
    if (strchr (build_args[i], '=') == NULL || build_args[i][0] == '=' || build_args[i][0] == '-'
        || strpbrk (build_args[i], "\n\r") != NULL)
      return hero_virt_set_invalid_argument (error, "build argument", build_args[i],
                                             "use NAME=VALUE");
  return TRUE;
}
