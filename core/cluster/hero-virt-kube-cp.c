/* hero-virt-kube-cp.c: KubernetesManager's cp (tar through exec) and
 * port_forward
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hero-virt-kubernetes-manager-private.h"
#include "hero-virt-kube-tar.h"

/* The most a `cp` moves in one go: the archive is held in memory. */
#define CP_MAX_ARCHIVE ((guint64)1024 * 1024 * 1024)

/* Splits a path into its directory and last name; a path whose last name
 * is empty, `.`, `..` or `/` cannot be copied by name. */
static gboolean
split_path (const char *path, char **dir, char **base, GError **error)
{
  g_autofree char *trimmed = g_strdup (path);
  gsize            len = strlen (trimmed);

  while (len > 1 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  *base = g_path_get_basename (trimmed);
  *dir = g_path_get_dirname (trimmed);
  if (len == 0 || strcmp (*base, ".") == 0 || strcmp (*base, "..") == 0 || strcmp (*base, "/") == 0)
    {
      g_clear_pointer (base, g_free);
      g_clear_pointer (dir, g_free);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "%s does not name a file or directory to copy", path);
      return FALSE;
    }
  return TRUE;
}

static HeroVirtExecutor *
pod_executor (HeroVirtKubernetesManager *self,
              const char                *pod,
              const char                *container,
              GError                   **error)
{
  return (HeroVirtExecutor *)hero_virt_pod_executor_new (self, pod, container, error);
}

static gboolean
tar_failed (HeroVirtCommandResult *result, const char *what, const char *path, GError **error)
{
  g_autofree char *err = g_strdup (hero_virt_command_result_get_stderr_text (result));

  g_strstrip (err);
  g_set_error (error, HERO_VIRT_ERROR,
               strstr (err, "No such file") || strstr (err, "not found") ? HERO_VIRT_ERROR_NOT_FOUND
                                                                         : HERO_VIRT_ERROR_IO,
               "%s %s in the pod failed (tar exit %d): %s", what, path,
               hero_virt_command_result_get_exit_status (result), err);
  return FALSE;
}

/**
 * hero_virt_kubernetes_manager_cp_from:
 * @self: a #HeroVirtKubernetesManager
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @remote_path: the file or directory in the container
 * @local_path: where it goes here: into it if it is an existing
 *   directory, else under that name (its directory must exist)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @remote_path out of the container, recursively, as `kubectl cp`
 * does: `tar cf - -C DIR NAME` runs in the container (which needs `tar`)
 * and the archive is extracted here, keeping permission bits and
 * modification times. The extraction trusts nothing the container sends:
 * a member with an absolute name or `..`, outside the copied name, or a
 * link leading out of the destination is %HERO_VIRT_ERROR_INVALID_ARGUMENT
 * and nothing is written. A missing @remote_path is
 * %HERO_VIRT_ERROR_NOT_FOUND. At most 1 GiB is copied in one call.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_cp_from (HeroVirtKubernetesManager *self,
                                      const char                *pod,
                                      const char                *container,
                                      const char                *remote_path,
                                      const char                *local_path,
                                      GCancellable              *cancellable,
                                      GError                   **error)
{
  g_autoptr (HeroVirtExecutor) executor = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *rdir = NULL, *rbase = NULL, *ldir = NULL, *lbase = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), FALSE);
  g_return_val_if_fail (pod != NULL && remote_path != NULL && local_path != NULL, FALSE);

  if (!split_path (remote_path, &rdir, &rbase, error))
    return FALSE;
  if (g_file_test (local_path, G_FILE_TEST_IS_DIR))
    {
      ldir = g_strdup (local_path);
      lbase = g_strdup (rbase);
    }
  else if (!split_path (local_path, &ldir, &lbase, error))
    return FALSE;
  if (!g_file_test (ldir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "The local directory %s does not exist", ldir);
      return FALSE;
    }
  if ((executor = pod_executor (self, pod, container, error)) == NULL)
    return FALSE;
  command = hero_virt_command_new_argv (
      (const char *const[]){ "tar", "cf", "-", "-C", rdir, "--", rbase, NULL });
  hero_virt_command_set_max_output (command, CP_MAX_ARCHIVE);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return FALSE;
  if (hero_virt_command_result_get_exit_status (result) != 0)
    return tar_failed (result, "Reading", remote_path, error);
  return _hero_virt_tar_extract (hero_virt_command_result_get_stdout (result), ldir, rbase, lbase,
                                 error);
}

/**
 * hero_virt_kubernetes_manager_cp_to:
 * @self: a #HeroVirtKubernetesManager
 * @local_path: the file or directory here
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @remote_path: where it goes in the container: into it if it is an
 *   existing directory, else under that name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @local_path into the container, recursively, keeping permission
 * bits and modification times (symbolic links stay links): the archive is
 * made here and `tar xf - -C DIR` runs in the container (which needs
 * `tar`). A missing @local_path is %HERO_VIRT_ERROR_NOT_FOUND. At most
 * 1 GiB is copied in one call.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_cp_to (HeroVirtKubernetesManager *self,
                                    const char                *local_path,
                                    const char                *pod,
                                    const char                *container,
                                    const char                *remote_path,
                                    GCancellable              *cancellable,
                                    GError                   **error)
{
  g_autoptr (HeroVirtExecutor) executor = NULL;
  g_autoptr (HeroVirtCommand) probe = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GBytes) archive = NULL;
  g_autofree char *ldir = NULL, *lbase = NULL, *rdir = NULL, *rbase = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), FALSE);
  g_return_val_if_fail (pod != NULL && remote_path != NULL && local_path != NULL, FALSE);

  if (!split_path (local_path, &ldir, &lbase, error))
    return FALSE;
  if ((executor = pod_executor (self, pod, container, error)) == NULL)
    return FALSE;
  /* Into an existing directory, else under the new name. */
  probe = hero_virt_command_new_argv ((const char *const[]){ "test", "-d", remote_path, NULL });
  result = hero_virt_executor_run (executor, probe, cancellable, error);
  if (result == NULL)
    return FALSE;
  if (hero_virt_command_result_get_exit_status (result) == 0)
    {
      rdir = g_strdup (remote_path);
      rbase = g_strdup (lbase);
    }
  else if (!split_path (remote_path, &rdir, &rbase, error))
    return FALSE;
  g_clear_object (&result);

  if ((archive = _hero_virt_tar_create (local_path, rbase, cancellable, error)) == NULL)
    return FALSE;
  if ((guint64)g_bytes_get_size (archive) > CP_MAX_ARCHIVE)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "%s is larger than the 1 GiB one cp moves", local_path);
      return FALSE;
    }
  command
      = hero_virt_command_new_argv ((const char *const[]){ "tar", "xf", "-", "-C", rdir, NULL });
  hero_virt_command_set_stdin (command, archive);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return FALSE;
  if (hero_virt_command_result_get_exit_status (result) != 0)
    return tar_failed (result, "Writing", remote_path, error);
  return TRUE;
}

typedef struct
{
  char *pod, *container, *from, *to;
} CpData;

static void
cp_data_free (CpData *d)
{
  g_free (d->pod);
  g_free (d->container);
  g_free (d->from);
  g_free (d->to);
  g_free (d);
}

static gpointer
cp_from_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  CpData *d = data;

  return hero_virt_kubernetes_manager_cp_from (source, d->pod, d->container, d->from, d->to,
                                               cancellable, error)
             ? GINT_TO_POINTER (TRUE)
             : NULL;
}

static gpointer
cp_to_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  CpData *d = data;

  return hero_virt_kubernetes_manager_cp_to (source, d->from, d->pod, d->container, d->to,
                                             cancellable, error)
             ? GINT_TO_POINTER (TRUE)
             : NULL;
}

static CpData *
cp_data_new (const char *pod, const char *container, const char *from, const char *to)
{
  CpData *d = g_new0 (CpData, 1);

  d->pod = g_strdup (pod);
  d->container = g_strdup (container);
  d->from = g_strdup (from);
  d->to = g_strdup (to);
  return d;
}

/**
 * hero_virt_kubernetes_manager_cp_from_async:
 * @self: a #HeroVirtKubernetesManager
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @remote_path: the file or directory in the container
 * @local_path: where it goes here
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the copy is done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.cp_from] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_cp_from_async (HeroVirtKubernetesManager *self,
                                            const char                *pod,
                                            const char                *container,
                                            const char                *remote_path,
                                            const char                *local_path,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data)
{
  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));

  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_cp_from_async, cp_from_thread,
                            cp_data_new (pod, container, remote_path, local_path),
                            (GDestroyNotify)cp_data_free, NULL, cancellable, callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_cp_from_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.cp_from_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_cp_from_finish (HeroVirtKubernetesManager *self,
                                             GAsyncResult              *result,
                                             GError                   **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_kubernetes_manager_cp_from_async, error)
         != NULL;
}

/**
 * hero_virt_kubernetes_manager_cp_to_async:
 * @self: a #HeroVirtKubernetesManager
 * @local_path: the file or directory here
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @remote_path: where it goes in the container
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the copy is done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.cp_to] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_cp_to_async (HeroVirtKubernetesManager *self,
                                          const char                *local_path,
                                          const char                *pod,
                                          const char                *container,
                                          const char                *remote_path,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data)
{
  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));

  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_cp_to_async, cp_to_thread,
                            cp_data_new (pod, container, local_path, remote_path),
                            (GDestroyNotify)cp_data_free, NULL, cancellable, callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_cp_to_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.cp_to_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_cp_to_finish (HeroVirtKubernetesManager *self,
                                           GAsyncResult              *result,
                                           GError                   **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_kubernetes_manager_cp_to_async, error)
         != NULL;
}

/**
 * hero_virt_kubernetes_manager_port_forward:
 * @self: a #HeroVirtKubernetesManager
 * @pod: the pod's name
 * @local_port: the port to listen on at 127.0.0.1, or 0 for any free one
 * @remote_port: the pod's port
 * @error: return location for a #GError
 *
 * Starts forwarding 127.0.0.1:@local_port to @remote_port of @pod in the
 * manager's namespace (see #HeroVirtPortForward). It listens once this
 * returns and until [method@HeroVirt.PortForward.stop] or the last
 * reference goes.
 *
 * Returns: (transfer full): the running port forward, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtPortForward *
hero_virt_kubernetes_manager_port_forward (HeroVirtKubernetesManager *self,
                                           const char                *pod,
                                           guint                      local_port,
                                           guint                      remote_port,
                                           GError                   **error)
{
  g_autoptr (HeroVirtPortForward) forward = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  g_return_val_if_fail (pod != NULL, NULL);

  forward = hero_virt_port_forward_new (self->provider, self->namespace, pod, remote_port);
  if (!hero_virt_port_forward_start (forward, local_port, error))
    return NULL;
  return g_steal_pointer (&forward);
}
