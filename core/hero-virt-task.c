/* hero-virt-task.c: thread and sync-over-async helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

typedef struct
{
  HeroVirtThreadFunc func;
  gpointer           data;
  GDestroyNotify     data_free;
  GDestroyNotify     result_free;
} ThreadCall;

static void
thread_call_free (gpointer p)
{
  ThreadCall *call = p;

  if (call->data_free != NULL && call->data != NULL)
    call->data_free (call->data);
  g_free (call);
}

void
_hero_virt_queue_to_context (GMainContext  *context,
                             GSourceFunc    func,
                             gpointer       data,
                             GDestroyNotify destroy,
                             const char    *name)
{
  GSource *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, func, data, destroy);
  g_source_set_static_name (idle, name);
  g_source_attach (idle, context);
  g_source_unref (idle);
}

/* The GTask whose func runs in this (worker) thread now. */
static GPrivate current_task;

GMainContext *
_hero_virt_task_get_owner_context (void)
{
  GTask *task = g_private_get (&current_task);

  return task != NULL ? g_task_get_context (task) : NULL;
}

static void
thread_func (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ThreadCall *call = task_data;
  GError     *error = NULL;
  gpointer    ret;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_private_set (&current_task, task);
  ret = call->func (source_object, call->data, cancellable, &error);
  g_private_set (&current_task, NULL);
  if (error != NULL)
    {
      if (ret != NULL && call->result_free != NULL)
        call->result_free (ret);
      g_task_return_error (task, error);
    }
  else if (ret == NULL)
    g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                             "The operation failed without saying why");
  else
    g_task_return_pointer (task, ret, call->result_free);
}

void
_hero_virt_run_in_thread (gpointer            source_object,
                          gpointer            source_tag,
                          HeroVirtThreadFunc  func,
                          gpointer            task_data,
                          GDestroyNotify      task_data_free,
                          GDestroyNotify      result_free,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  ThreadCall *call;

  call = g_new0 (ThreadCall, 1);
  call->func = func;
  call->data = task_data;
  call->data_free = task_data_free;
  call->result_free = result_free;

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, thread_call_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, thread_func);
}

gboolean
_hero_virt_task_is (gpointer source_object, GAsyncResult *result, gpointer source_tag)
{
  return g_task_is_valid (result, source_object)
         && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

gpointer
_hero_virt_task_finish (gpointer      source_object,
                        GAsyncResult *result,
                        gpointer      source_tag,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} SyncData;

static void
sync_done (GObject *source_object, GAsyncResult *result, gpointer user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
  g_main_context_wakeup (data->context);
}

GAsyncResult *
_hero_virt_run_sync (gpointer source_object, HeroVirtAsyncStart start, gpointer data)
{
  SyncData sync = { NULL, NULL };

  sync.context = g_main_context_new ();
  g_main_context_push_thread_default (sync.context);

  start (source_object, data, sync_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (sync.context, TRUE);

  g_main_context_pop_thread_default (sync.context);
  g_main_context_unref (sync.context);

  return sync.result;
}
