/* hero-virt-cluster-watch.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtClusterWatch:
 *
 * A stream of [class@HeroVirt.ClusterWatchEvent]s, as
 * [method@HeroVirt.ClusterProvider.watch] returns it. Read it with
 * [method@HeroVirt.ClusterWatch.next] (blocking) or
 * [method@HeroVirt.ClusterWatch.next_async]; both return %NULL, without
 * an error, once the stream has ended cleanly (the server's timeout, or
 * [method@HeroVirt.ClusterWatch.stop]). Call stop when done: it cancels
 * the provider's request.
 *
 * ```python
 * watch = provider.watch(None, pods, "web", None, None)
 * while (event := watch.next(None)) is not None:
 *     print(event.get_event_type(), HeroVirt.kube_resource_get_name(event.get_object()))
 * ```
 *
 * Providers create it with [ctor@HeroVirt.ClusterWatch.new], feed it from
 * any thread with [method@HeroVirt.ClusterWatch.push], end it with
 * [method@HeroVirt.ClusterWatch.close] or [method@HeroVirt.ClusterWatch.fail],
 * and stop reading from the server
 * when [method@HeroVirt.ClusterWatch.get_cancellable] is cancelled or
 * push returns %FALSE. Events are queued until read, in order.
 *
 * Since: 0.1
 */
struct _HeroVirtClusterWatch
{
  GObject parent_instance;

  GMutex        lock;
  GCond         cond;
  GQueue        events;  /* HeroVirtClusterWatchEvent, oldest first */
  GQueue        pending; /* Pending: async readers waiting for an event */
  gboolean      closed;
  GError       *error; /* why the stream ended, or NULL */
  GCancellable *cancellable;
};

typedef struct
{
  GTask *task;
  gulong handler; /* on the task's cancellable, or 0 */
} Pending;

G_DEFINE_FINAL_TYPE (HeroVirtClusterWatch, hero_virt_cluster_watch, G_TYPE_OBJECT)

static void
hero_virt_cluster_watch_finalize (GObject *object)
{
  HeroVirtClusterWatch *self = HERO_VIRT_CLUSTER_WATCH (object);

  /* Pending readers hold a reference, so none are left here. */
  g_assert (g_queue_is_empty (&self->pending));
  g_queue_clear_full (&self->events, g_object_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (hero_virt_cluster_watch_parent_class)->finalize (object);
}

static void
hero_virt_cluster_watch_class_init (HeroVirtClusterWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_cluster_watch_finalize;
}

static void
hero_virt_cluster_watch_init (HeroVirtClusterWatch *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
}

/**
 * hero_virt_cluster_watch_new:
 *
 * Creates an open, empty stream. For providers.
 *
 * Returns: (transfer full): a new #HeroVirtClusterWatch
 *
 * Since: 0.1
 */
HeroVirtClusterWatch *
hero_virt_cluster_watch_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_CLUSTER_WATCH, NULL);
}

/**
 * hero_virt_cluster_watch_get_cancellable:
 * @self: a #HeroVirtClusterWatch
 *
 * The provider's side of [method@HeroVirt.ClusterWatch.stop]: it is
 * cancelled when the reader stops the watch, so the provider can abort
 * its request.
 *
 * Returns: (transfer none): the watch's cancellable
 *
 * Since: 0.1
 */
GCancellable *
hero_virt_cluster_watch_get_cancellable (HeroVirtClusterWatch *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self), NULL);
  return self->cancellable;
}

static void
pending_complete (Pending *p, HeroVirtClusterWatchEvent *event, const GError *error)
{
  GCancellable *cancellable = g_task_get_cancellable (p->task);

  if (p->handler != 0)
    g_cancellable_disconnect (cancellable, p->handler);
  if (error != NULL)
    g_task_return_error (p->task, g_error_copy (error));
  else if (event != NULL)
    g_task_return_pointer (p->task, g_object_ref (event), g_object_unref);
  else
    g_task_return_pointer (p->task, NULL, NULL);
  g_object_unref (p->task);
  g_free (p);
}

/**
 * hero_virt_cluster_watch_push:
 * @self: a #HeroVirtClusterWatch
 * @event: the next event
 *
 * Queues @event for the reader, or hands it to a waiting
 * [method@HeroVirt.ClusterWatch.next_async]. Safe from any thread. For
 * providers.
 *
 * Returns: %TRUE if the event was queued; %FALSE if the watch is closed
 *   or stopped, and the provider should stop
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_watch_push (HeroVirtClusterWatch *self, HeroVirtClusterWatchEvent *event)
{
  Pending *p;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self), FALSE);
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH_EVENT (event), FALSE);

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  p = g_queue_pop_head (&self->pending);
  if (p == NULL)
    {
      g_queue_push_tail (&self->events, g_object_ref (event));
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);

  if (p != NULL)
    pending_complete (p, event, NULL);
  return TRUE;
}

static void
end_stream (HeroVirtClusterWatch *self, const GError *error)
{
  GQueue   waiting = G_QUEUE_INIT;
  Pending *p;

  g_mutex_lock (&self->lock);
  if (!self->closed)
    {
      self->closed = TRUE;
      self->error = error ? g_error_copy (error) : NULL;
      waiting = self->pending;
      g_queue_init (&self->pending);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);

  while ((p = g_queue_pop_head (&waiting)) != NULL)
    pending_complete (p, NULL, error);
}

/**
 * hero_virt_cluster_watch_close:
 * @self: a #HeroVirtClusterWatch
 *
 * Ends the stream cleanly: the reader gets the events already queued,
 * then %NULL. Later pushes are refused; closing or failing again changes
 * nothing. Safe from any thread. For providers.
 *
 * Since: 0.1
 */
void
hero_virt_cluster_watch_close (HeroVirtClusterWatch *self)
{
  g_return_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self));

  end_stream (self, NULL);
}

/**
 * hero_virt_cluster_watch_fail:
 * @self: a #HeroVirtClusterWatch
 * @error: why the stream broke, such as a lost connection
 *
 * Ends the stream with an error: the reader gets the events already
 * queued, then @error. Safe from any thread. For providers.
 *
 * Since: 0.1
 */
void
hero_virt_cluster_watch_fail (HeroVirtClusterWatch *self, const GError *error)
{
  g_return_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self));
  g_return_if_fail (error != NULL);

  end_stream (self, error);
}

/**
 * hero_virt_cluster_watch_stop:
 * @self: a #HeroVirtClusterWatch
 *
 * Stops the watch: cancels the provider's request, drops queued events
 * and closes the stream, so readers get %NULL. Stopping twice is fine.
 *
 * Since: 0.1
 */
void
hero_virt_cluster_watch_stop (HeroVirtClusterWatch *self)
{
  g_return_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self));

  g_cancellable_cancel (self->cancellable);
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->events, g_object_unref);
  g_mutex_unlock (&self->lock);
  hero_virt_cluster_watch_close (self);
}

/**
 * hero_virt_cluster_watch_is_closed:
 * @self: a #HeroVirtClusterWatch
 *
 * Returns: whether the stream has ended (events may still be queued)
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_watch_is_closed (HeroVirtClusterWatch *self)
{
  gboolean closed;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self), TRUE);

  g_mutex_lock (&self->lock);
  closed = self->closed;
  g_mutex_unlock (&self->lock);
  return closed;
}

/* Takes the next event or the end of the stream; lock held. Returns
 * FALSE if there is nothing yet. */
static gboolean
take_locked (HeroVirtClusterWatch *self, HeroVirtClusterWatchEvent **event, GError **error)
{
  *event = g_queue_pop_head (&self->events);
  if (*event != NULL)
    return TRUE;
  if (!self->closed)
    return FALSE;
  if (self->error != NULL)
    g_propagate_error (error, g_error_copy (self->error));
  return TRUE;
}

static void
wake_sync_reader (GCancellable *cancellable, gpointer user_data)
{
  HeroVirtClusterWatch *self = user_data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/**
 * hero_virt_cluster_watch_next:
 * @self: a #HeroVirtClusterWatch
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits for the next event. Cancelling @cancellable interrupts the wait
 * (%G_IO_ERROR_CANCELLED) without stopping the watch.
 *
 * Returns: (transfer full) (nullable): the next event; %NULL without an
 *   error when the stream has ended, or with the error that ended it
 *
 * Since: 0.1
 */
HeroVirtClusterWatchEvent *
hero_virt_cluster_watch_next (HeroVirtClusterWatch *self, GCancellable *cancellable, GError **error)
{
  HeroVirtClusterWatchEvent *event = NULL;
  gboolean                   taken;
  gulong                     handler = 0;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self), NULL);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_sync_reader), self, NULL);

  g_mutex_lock (&self->lock);
  while (!(taken = take_locked (self, &event, error)) && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  g_cancellable_disconnect (cancellable, handler);
  if (!taken)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return event;
}

static void
cancel_async_readers (GCancellable *cancellable, gpointer user_data)
{
  HeroVirtClusterWatch *self = user_data;
  GQueue                cancelled = G_QUEUE_INIT;
  Pending              *p;

  g_mutex_lock (&self->lock);
  for (GList *l = self->pending.head; l != NULL;)
    {
      GList *next = l->next;

      p = l->data;
      if (g_task_get_cancellable (p->task) == cancellable)
        {
          g_queue_unlink (&self->pending, l);
          g_queue_push_tail_link (&cancelled, l);
        }
      l = next;
    }
  g_mutex_unlock (&self->lock);

  while ((p = g_queue_pop_head (&cancelled)) != NULL)
    {
      /* Inside the "cancelled" emission: g_cancellable_disconnect would
       * deadlock, this does not. */
      if (p->handler != 0)
        g_signal_handler_disconnect (cancellable, p->handler);
      g_task_return_error_if_cancelled (p->task);
      g_object_unref (p->task);
      g_free (p);
    }
}

static gboolean
task_is_pending_locked (HeroVirtClusterWatch *self, GTask *task, Pending **out)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Pending *p = l->data;

      if (p->task == task)
        {
          *out = p;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hero_virt_cluster_watch_next_async:
 * @self: a #HeroVirtClusterWatch
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the next event
 * @user_data: data for @callback
 *
 * Waits for the next event without blocking; see
 * [method@HeroVirt.ClusterWatch.next]. The callback runs in the
 * thread-default main context of the caller.
 *
 * Since: 0.1
 */
void
hero_virt_cluster_watch_next_async (HeroVirtClusterWatch *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;
  HeroVirtClusterWatchEvent *event = NULL;
  GError                    *error = NULL;
  Pending                   *p;
  gulong                     handler;

  g_return_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_cluster_watch_next_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  if (take_locked (self, &event, &error))
    {
      g_mutex_unlock (&self->lock);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, event, event ? g_object_unref : NULL);
      return;
    }
  p = g_new0 (Pending, 1);
  p->task = g_object_ref (task);
  g_queue_push_tail (&self->pending, p);
  g_mutex_unlock (&self->lock);

  if (cancellable == NULL)
    return;
  /* The reader may be completed or cancelled while this connects; only
   * a reader still pending keeps the handler. */
  handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_async_readers),
                                   g_object_ref (self), g_object_unref);
  g_mutex_lock (&self->lock);
  if (task_is_pending_locked (self, task, &p))
    {
      p->handler = handler;
      handler = 0;
    }
  g_mutex_unlock (&self->lock);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
}

/**
 * hero_virt_cluster_watch_next_finish:
 * @self: a #HeroVirtClusterWatch
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.ClusterWatch.next_async].
 *
 * Returns: (transfer full) (nullable): the next event; %NULL without an
 *   error when the stream has ended, or with an error
 *
 * Since: 0.1
 */
HeroVirtClusterWatchEvent *
hero_virt_cluster_watch_next_finish (HeroVirtClusterWatch *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
