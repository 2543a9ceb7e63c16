/* hero-virt-image.c: the hooks of the image functions generated from
 * image-object.json (the validators are in hero-virt-validate.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

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
    {
      const char      *eq = strchr (build_args[i], '=');
      g_autofree char *name
          = g_strndup (build_args[i], eq ? (gsize)(eq - build_args[i]) : strlen (build_args[i]));

      /* Only the name is ever in the message: the value may be a secret. */
      if (eq == NULL || !hero_virt_validate_env_name (name, NULL)
          || strpbrk (build_args[i], "\n\r") != NULL)
        return hero_virt_set_invalid_argument (
            error, "build argument", name,
            "use NAME=VALUE on one line, NAME of letters, digits and _");
    }
  return TRUE;
}
