/* hero-virt-progress.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-progress.h"
#include "hero-virt-private.h"

/**
 * HeroVirtProgress:
 *
 * Progress of a long operation: a download, a pull or push, a commit, a
 * boot. Pass one to an operation that takes it and connect to
 * #HeroVirtProgress::changed (or to `notify::fraction`):
 *
 * ```python
 * progress = HeroVirt.Progress()
 * progress.connect("changed", lambda p: print(p.props.stage, p.props.fraction))
 * HeroVirt.Disk.build_ubuntu_24_04_base("/var/lib/images", 10 << 30, progress, None)
 * ```
 *
 * Updates are delivered in the thread-default main context that was
 * current when the progress object was created, so a handler never runs in
 * a worker thread. A synchronous call made in that same context delivers
 * them as they happen.
 *
 * Since: 0.1
 */
struct _HeroVirtProgress
{
  GObject parent_instance;

  GMainContext *context;
  GThread      *thread;
  GMutex        lock;
  char         *stage;
  char         *message;
  guint64       current;
  guint64       total;
};

enum
{
  PROP_0,
  PROP_STAGE,
  PROP_MESSAGE,
  PROP_CURRENT,
  PROP_TOTAL,
  PROP_FRACTION,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeroVirtProgress, hero_virt_progress, G_TYPE_OBJECT)

static void
hero_virt_progress_finalize (GObject *object)
{
  HeroVirtProgress *self = HERO_VIRT_PROGRESS (object);

  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_free (self->stage);
  g_free (self->message);

  G_OBJECT_CLASS (hero_virt_progress_parent_class)->finalize (object);
}

static void
hero_virt_progress_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtProgress *self = HERO_VIRT_PROGRESS (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_string (value, self->stage);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_CURRENT:
      g_value_set_uint64 (value, self->current);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    case PROP_FRACTION:
      g_value_set_double (value,
                          self->total ? MIN (1.0, (double)self->current / self->total) : -1.0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

static void
hero_virt_progress_class_init (HeroVirtProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_progress_finalize;
  object_class->get_property = hero_virt_progress_get_property;

  /**
   * HeroVirtProgress:stage:
   *
   * What the operation is doing: `download`, `verify`, `resize`,
   * `snapshot`, `pull`, `push`, `commit`, …
   *
   * Since: 0.1
   */
  properties[PROP_STAGE]
      = g_param_spec_string ("stage", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProgress:message:
   *
   * A line of text for people, such as the backend's own progress line.
   *
   * Since: 0.1
   */
  properties[PROP_MESSAGE]
      = g_param_spec_string ("message", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProgress:current:
   *
   * Units done so far (bytes for transfers).
   *
   * Since: 0.1
   */
  properties[PROP_CURRENT]
      = g_param_spec_uint64 ("current", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProgress:total:
   *
   * Units in all, or 0 when unknown.
   *
   * Since: 0.1
   */
  properties[PROP_TOTAL]
      = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProgress:fraction:
   *
   * @current / @total between 0 and 1, or -1 when the total is unknown.
   *
   * Since: 0.1
   */
  properties[PROP_FRACTION]
      = g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, -1.0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HeroVirtProgress::changed:
   * @self: the progress
   *
   * Emitted after each update, in the main context the progress object
   * was created in.
   *
   * Since: 0.1
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hero_virt_progress_init (HeroVirtProgress *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
}

/**
 * hero_virt_progress_new:
 *
 * Creates a progress object bound to the current thread-default main
 * context.
 *
 * Returns: (transfer full): a new #HeroVirtProgress
 *
 * Since: 0.1
 */
HeroVirtProgress *
hero_virt_progress_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_PROGRESS, NULL);
}

static void
emit_changed (HeroVirtProgress *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_STAGE; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Stores one update. Called only in the progress object's own context, so
 * the strings the getters return stay valid until the next update is
 * delivered there, never freed under a handler by a worker thread. */
static void
publish (HeroVirtProgress *self,
         const char       *stage,
         guint64           current,
         guint64           total,
         const char       *message)
{
  g_mutex_lock (&self->lock);
  if (stage != NULL && g_strcmp0 (stage, self->stage) != 0)
    {
      g_free (self->stage);
      self->stage = g_strdup (stage);
    }
  if (g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  self->current = current;
  self->total = total;
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  HeroVirtProgress *self;
  char             *stage;
  char             *message;
  guint64           current;
  guint64           total;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->self);
  g_free (update->stage);
  g_free (update->message);
  g_free (update);
}

static gboolean
deliver_update (gpointer data)
{
  Update *update = data;

  publish (update->self, update->stage, update->current, update->total, update->message);
  emit_changed (update->self);
  return G_SOURCE_REMOVE;
}

/**
 * hero_virt_progress_update:
 * @self: a #HeroVirtProgress
 * @stage: (nullable): the stage, or %NULL to keep the current one
 * @current: units done
 * @total: units in all, 0 if unknown
 * @message: (nullable): a line of text for people
 *
 * Records progress. Safe to call from any thread; the signal is emitted in
 * the progress object's main context (directly when called from a thread
 * that owns it). Each update is delivered in order, and the properties
 * read in a handler are those of the update being delivered.
 *
 * Since: 0.1
 */
void
hero_virt_progress_update (HeroVirtProgress *self,
                           const char       *stage,
                           guint64           current,
                           guint64           total,
                           const char       *message)
{
  Update *update;

  g_return_if_fail (HERO_VIRT_IS_PROGRESS (self));

  if (g_main_context_is_owner (self->context) || g_thread_self () == self->thread)
    {
      publish (self, stage, current, total, message);
      emit_changed (self);
      return;
    }

  update = g_new0 (Update, 1);
  update->self = g_object_ref (self);
  update->stage = g_strdup (stage);
  update->message = g_strdup (message);
  update->current = current;
  update->total = total;
  /* Queued even when the context is this thread's default too: the
   * handlers belong to the owner's loop, not to this worker. */
  _hero_virt_queue_to_context (self->context, deliver_update, update, update_free,
                               "[hero-virt] progress update");
}

/**
 * hero_virt_progress_get_stage:
 * @self: a #HeroVirtProgress
 *
 * Call it in the progress object's main context (in a
 * #HeroVirtProgress::changed handler, say): the string stays valid until
 * the next update is delivered there.
 *
 * Returns: (nullable): the current stage
 *
 * Since: 0.1
 */
const char *
hero_virt_progress_get_stage (HeroVirtProgress *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROGRESS (self), NULL);
  return self->stage;
}

/**
 * hero_virt_progress_get_message:
 * @self: a #HeroVirtProgress
 *
 * Call it in the progress object's main context; the string stays valid
 * until the next update is delivered there.
 *
 * Returns: (nullable): the last message
 *
 * Since: 0.1
 */
const char *
hero_virt_progress_get_message (HeroVirtProgress *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROGRESS (self), NULL);
  return self->message;
}

/**
 * hero_virt_progress_get_current:
 * @self: a #HeroVirtProgress
 *
 * Returns: units done
 *
 * Since: 0.1
 */
guint64
hero_virt_progress_get_current (HeroVirtProgress *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROGRESS (self), 0);
  return self->current;
}

/**
 * hero_virt_progress_get_total:
 * @self: a #HeroVirtProgress
 *
 * Returns: units in all, 0 when unknown
 *
 * Since: 0.1
 */
guint64
hero_virt_progress_get_total (HeroVirtProgress *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROGRESS (self), 0);
  return self->total;
}

/**
 * hero_virt_progress_get_fraction:
 * @self: a #HeroVirtProgress
 *
 * Returns: the fraction done between 0 and 1, or -1 when unknown
 *
 * Since: 0.1
 */
double
hero_virt_progress_get_fraction (HeroVirtProgress *self)
{
  double fraction;

  g_return_val_if_fail (HERO_VIRT_IS_PROGRESS (self), -1.0);
  g_mutex_lock (&self->lock);
  fraction = self->total ? MIN (1.0, (double)self->current / self->total) : -1.0;
  g_mutex_unlock (&self->lock);
  return fraction;
}
