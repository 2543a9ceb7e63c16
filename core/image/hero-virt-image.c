/* hero-virt-image.c: image functions and validators
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

static HeroVirtImageProvider *
get_provider (GCancellable *cancellable, GError **error)
{
  GObject *provider;

  provider = hero_virt_registry_get_default_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_IMAGE, cancellable, error);
  return provider ? HERO_VIRT_IMAGE_PROVIDER (provider) : NULL;
}

static HeroVirtExecutor *
or_default (HeroVirtExecutor *executor)
{
  return executor != NULL ? executor : hero_virt_executor_get_default ();
}

/**
 * hero_virt_image_list:
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the local images of the default image provider.
 *
 * Returns: (transfer container) (element-type HeroVirt.ImageInfo): the
 *   images, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_image_list (HeroVirtExecutor *executor, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtImageProvider) provider = get_provider (cancellable, error);

  if (provider == NULL)
    return NULL;
  return hero_virt_image_provider_list_images (provider, or_default (executor), cancellable, error);
}

/**
 * hero_virt_image_list_containers:
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the working containers of the default image provider.
 *
 * Returns: (transfer container) (element-type HeroVirt.ImageContainerInfo):
 *   the containers, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_image_list_containers (HeroVirtExecutor *executor,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr (HeroVirtImageProvider) provider = get_provider (cancellable, error);

  if (provider == NULL)
    return NULL;
  return hero_virt_image_provider_list_containers (provider, or_default (executor), cancellable,
                                                   error);
}

/**
 * hero_virt_image_inspect:
 * @reference: an image reference or ID
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads an image's details, configuration included.
 *
 * Returns: (transfer full): the image's info, or %NULL on error
 *   (%HERO_VIRT_ERROR_NOT_FOUND if there is no such image)
 *
 * Since: 0.1
 */
HeroVirtImageInfo *
hero_virt_image_inspect (const char       *reference,
                         HeroVirtExecutor *executor,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  if (!hero_virt_validate_image_reference (reference, error))
    return NULL;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_image_provider_inspect_image (provider, or_default (executor), reference,
                                                 cancellable, error);
}

/**
 * hero_virt_image_remove:
 * @reference: an image reference or ID
 * @force: remove it even if containers use it
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes a local image.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_remove (const char       *reference,
                        gboolean          force,
                        HeroVirtExecutor *executor,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  if (!hero_virt_validate_image_reference (reference, error))
    return FALSE;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_image_provider_remove_image (provider, or_default (executor), reference, force,
                                                cancellable, error);
}

/**
 * hero_virt_image_tag:
 * @reference: an image reference or ID
 * @new_name: another reference for the image
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gives a local image another name.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_tag (const char       *reference,
                     const char       *new_name,
                     HeroVirtExecutor *executor,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;
  const char *names[] = { new_name, NULL };

  if (!hero_virt_validate_image_reference (reference, error)
      || !hero_virt_validate_image_reference (new_name, error))
    return FALSE;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_image_provider_tag_image (provider, or_default (executor), reference, names,
                                             cancellable, error);
}

static void
forward_pointer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  char *(*finish) (HeroVirtImageProvider *, GAsyncResult *, GError **)
      = g_task_get_task_data (task);
  GError *error = NULL;
  char   *ret = finish (HERO_VIRT_IMAGE_PROVIDER (source), result, &error);

  if (ret != NULL)
    g_task_return_pointer (task, ret, g_free);
  else
    g_task_return_error (task, error);
}

static void
forward_bool (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (hero_virt_image_provider_push_finish (HERO_VIRT_IMAGE_PROVIDER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Validation and provider lookup for the async forms: NULL after
 * reporting the error through @task. */
static HeroVirtImageProvider *
begin_async (GTask *task, const char *reference, const char *reference2)
{
  GError                *error = NULL;
  HeroVirtImageProvider *provider;

  if ((reference != NULL && !hero_virt_validate_image_reference (reference, &error))
      || (reference2 != NULL && !hero_virt_validate_image_reference (reference2, &error)))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  provider = get_provider (g_task_get_cancellable (task), &error);
  if (provider == NULL)
    g_task_return_error (task, error);
  return provider;
}

/**
 * hero_virt_image_pull:
 * @reference: the image reference
 * @options: (nullable): TLS and credentials, or %NULL for the defaults
 *   (TLS verified, anonymous)
 * @progress: (nullable): updated as layers arrive
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pulls an image from its registry.
 *
 * Returns: (transfer full): the image ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_image_pull (const char                   *reference,
                      HeroVirtImageRegistryOptions *options,
                      HeroVirtProgress             *progress,
                      HeroVirtExecutor             *executor,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  if (!hero_virt_validate_image_reference (reference, error))
    return NULL;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_image_provider_pull (provider, or_default (executor), reference, options,
                                        progress, cancellable, error);
}

/**
 * hero_virt_image_pull_async:
 * @reference: the image reference
 * @options: (nullable): TLS and credentials
 * @progress: (nullable): updated as layers arrive
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [func@HeroVirt.image_pull].
 *
 * Since: 0.1
 */
void
hero_virt_image_pull_async (const char                   *reference,
                            HeroVirtImageRegistryOptions *options,
                            HeroVirtProgress             *progress,
                            HeroVirtExecutor             *executor,
                            GCancellable                 *cancellable,
                            GAsyncReadyCallback           callback,
                            gpointer                      user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  g_task_set_source_tag (task, hero_virt_image_pull_async);
  g_task_set_task_data (task, hero_virt_image_provider_pull_finish, NULL);
  provider = begin_async (task, reference, NULL);
  if (provider == NULL)
    {
      g_object_unref (task);
      return;
    }
  hero_virt_image_provider_pull_async (provider, or_default (executor), reference, options,
                                       progress, cancellable, forward_pointer, task);
}

/**
 * hero_virt_image_pull_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.image_pull_async].
 *
 * Returns: (transfer full): the image ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_image_pull_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_image_push:
 * @reference: the local image reference or ID
 * @destination: (nullable): where to push (`registry:port/repo:tag`,
 *   optionally with `docker://`), or %NULL to push to @reference
 * @options: (nullable): TLS and credentials, or %NULL for the defaults
 * @progress: (nullable): updated as layers are sent
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pushes a local image to a registry.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_push (const char                   *reference,
                      const char                   *destination,
                      HeroVirtImageRegistryOptions *options,
                      HeroVirtProgress             *progress,
                      HeroVirtExecutor             *executor,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  if (destination != NULL && g_str_has_prefix (destination, "docker://"))
    destination += strlen ("docker://");
  if (!hero_virt_validate_image_reference (reference, error)
      || (destination != NULL && !hero_virt_validate_image_reference (destination, error)))
    return FALSE;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_image_provider_push (provider, or_default (executor), reference, destination,
                                        options, progress, cancellable, error);
}

/**
 * hero_virt_image_push_async:
 * @reference: the local image reference or ID
 * @destination: (nullable): where to push, or %NULL
 * @options: (nullable): TLS and credentials
 * @progress: (nullable): updated as layers are sent
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [func@HeroVirt.image_push].
 *
 * Since: 0.1
 */
void
hero_virt_image_push_async (const char                   *reference,
                            const char                   *destination,
                            HeroVirtImageRegistryOptions *options,
                            HeroVirtProgress             *progress,
                            HeroVirtExecutor             *executor,
                            GCancellable                 *cancellable,
                            GAsyncReadyCallback           callback,
                            gpointer                      user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  g_task_set_source_tag (task, hero_virt_image_push_async);
  if (destination != NULL && g_str_has_prefix (destination, "docker://"))
    destination += strlen ("docker://");
  provider = begin_async (task, reference, destination);
  if (provider == NULL)
    {
      g_object_unref (task);
      return;
    }
  hero_virt_image_provider_push_async (provider, or_default (executor), reference, destination,
                                       options, progress, cancellable, forward_bool, task);
}

/**
 * hero_virt_image_push_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.image_push_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_push_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_build_args (const char        *context_dir,
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
      {
        return hero_virt_set_invalid_argument (error, "build argument", build_args[i],
                                               "use NAME=VALUE");
      }
  return TRUE;
}

/**
 * hero_virt_image_build:
 * @context_dir: (type filename): the build context, an absolute path on
 *   the executor's host
 * @containerfile: (nullable) (type filename): the Containerfile, relative
 *   to @context_dir (it may not leave it) or absolute; %NULL for the one in
 *   @context_dir
 * @tag: the image reference to write
 * @build_args: (nullable) (array zero-terminated=1): `NAME=VALUE` build
 *   arguments
 * @options: (nullable): TLS and credentials for base images
 * @progress: (nullable): updated as steps run
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Builds an image from a Containerfile.
 *
 * Returns: (transfer full): the image ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_image_build (const char                   *context_dir,
                       const char                   *containerfile,
                       const char                   *tag,
                       const char *const            *build_args,
                       HeroVirtImageRegistryOptions *options,
                       HeroVirtProgress             *progress,
                       HeroVirtExecutor             *executor,
                       GCancellable                 *cancellable,
                       GError                      **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;

  if (!hero_virt_validate_image_reference (tag, error)
      || !check_build_args (context_dir, containerfile, build_args, error))
    return NULL;
  provider = get_provider (cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_image_provider_build (provider, or_default (executor), context_dir,
                                         containerfile, tag, build_args, NULL, NULL, options,
                                         progress, cancellable, error);
}

/**
 * hero_virt_image_build_async:
 * @context_dir: (type filename): the build context
 * @containerfile: (nullable) (type filename): the Containerfile, or %NULL
 * @tag: the image reference to write
 * @build_args: (nullable) (array zero-terminated=1): build arguments
 * @options: (nullable): TLS and credentials for base images
 * @progress: (nullable): updated as steps run
 * @executor: (nullable): where to run, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [func@HeroVirt.image_build].
 *
 * Since: 0.1
 */
void
hero_virt_image_build_async (const char                   *context_dir,
                             const char                   *containerfile,
                             const char                   *tag,
                             const char *const            *build_args,
                             HeroVirtImageRegistryOptions *options,
                             HeroVirtProgress             *progress,
                             HeroVirtExecutor             *executor,
                             GCancellable                 *cancellable,
                             GAsyncReadyCallback           callback,
                             gpointer                      user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (HeroVirtImageProvider) provider = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, hero_virt_image_build_async);
  g_task_set_task_data (task, hero_virt_image_provider_build_finish, NULL);
  if (!check_build_args (context_dir, containerfile, build_args, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  provider = begin_async (task, tag, NULL);
  if (provider == NULL)
    {
      g_object_unref (task);
      return;
    }
  hero_virt_image_provider_build_async (provider, or_default (executor), context_dir, containerfile,
                                        tag, build_args, NULL, NULL, options, progress, cancellable,
                                        forward_pointer, task);
}

/**
 * hero_virt_image_build_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.image_build_async].
 *
 * Returns: (transfer full): the image ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_image_build_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
