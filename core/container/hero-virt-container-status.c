/* hero-virt-container-status.c: what a container is doing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtContainerStatus:
 *
 * A container's state as the engine reports it: from `inspect` (state,
 * exit code, start and finish times, health and the output of the last
 * check) or from a listing (ID, name, image, state, status text, ports).
 *
 * `state` is normalised across engines: `created` (never started; nerdctl
 * reports ""), `running`, `paused`, `restarting`, `exited`, `removing`,
 * `dead` or `unknown`.
 *
 * Since: 0.1
 */
struct _HeroVirtContainerStatus
{
  GObject parent_instance;

  char    *id;
  char    *name;
  char    *image;
  char    *state;
  char    *status;
  gboolean running;
  int      exit_code;
  int      pid;
  char    *created;
  char    *started_at;
  char    *finished_at;
  char    *health_status;
  char    *health_output;
  int      health_failing_streak;
  int      restart_count;
  char    *ports;
  char   **labels;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_IMAGE,
  PROP_STATE,
  PROP_STATUS,
  PROP_RUNNING,
  PROP_EXIT_CODE,
  PROP_PID,
  PROP_CREATED,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_HEALTH_STATUS,
  PROP_HEALTH_OUTPUT,
  PROP_HEALTH_FAILING_STREAK,
  PROP_RESTART_COUNT,
  PROP_PORTS,
  PROP_LABELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerStatus, hero_virt_container_status, G_TYPE_OBJECT)

static void
hero_virt_container_status_finalize (GObject *object)
{
  HeroVirtContainerStatus *self = HERO_VIRT_CONTAINER_STATUS (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->image);
  g_free (self->state);
  g_free (self->status);
  g_free (self->created);
  g_free (self->started_at);
  g_free (self->finished_at);
  g_free (self->health_status);
  g_free (self->health_output);
  g_free (self->ports);
  g_strfreev (self->labels);

  G_OBJECT_CLASS (hero_virt_container_status_parent_class)->finalize (object);
}

static void
hero_virt_container_status_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  HeroVirtContainerStatus *self = HERO_VIRT_CONTAINER_STATUS (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_IMAGE:
      g_value_set_string (value, self->image);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_EXIT_CODE:
      g_value_set_int (value, self->exit_code);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_CREATED:
      g_value_set_string (value, self->created);
      break;
    case PROP_STARTED_AT:
      g_value_set_string (value, self->started_at);
      break;
    case PROP_FINISHED_AT:
      g_value_set_string (value, self->finished_at);
      break;
    case PROP_HEALTH_STATUS:
      g_value_set_string (value, self->health_status);
      break;
    case PROP_HEALTH_OUTPUT:
      g_value_set_string (value, self->health_output);
      break;
    case PROP_HEALTH_FAILING_STREAK:
      g_value_set_int (value, self->health_failing_streak);
      break;
    case PROP_RESTART_COUNT:
      g_value_set_int (value, self->restart_count);
      break;
    case PROP_PORTS:
      g_value_set_string (value, self->ports);
      break;
    case PROP_LABELS:
      g_value_set_boxed (value, self->labels);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_status_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  HeroVirtContainerStatus *self = HERO_VIRT_CONTAINER_STATUS (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_IMAGE:
      g_free (self->image);
      self->image = g_value_dup_string (value);
      break;
    case PROP_STATE:
      g_free (self->state);
      self->state = g_value_dup_string (value);
      break;
    case PROP_STATUS:
      g_free (self->status);
      self->status = g_value_dup_string (value);
      break;
    case PROP_RUNNING:
      self->running = g_value_get_boolean (value);
      break;
    case PROP_EXIT_CODE:
      self->exit_code = g_value_get_int (value);
      break;
    case PROP_PID:
      self->pid = g_value_get_int (value);
      break;
    case PROP_CREATED:
      g_free (self->created);
      self->created = g_value_dup_string (value);
      break;
    case PROP_STARTED_AT:
      g_free (self->started_at);
      self->started_at = g_value_dup_string (value);
      break;
    case PROP_FINISHED_AT:
      g_free (self->finished_at);
      self->finished_at = g_value_dup_string (value);
      break;
    case PROP_HEALTH_STATUS:
      g_free (self->health_status);
      self->health_status = g_value_dup_string (value);
      break;
    case PROP_HEALTH_OUTPUT:
      g_free (self->health_output);
      self->health_output = g_value_dup_string (value);
      break;
    case PROP_HEALTH_FAILING_STREAK:
      self->health_failing_streak = g_value_get_int (value);
      break;
    case PROP_RESTART_COUNT:
      self->restart_count = g_value_get_int (value);
      break;
    case PROP_PORTS:
      g_free (self->ports);
      self->ports = g_value_dup_string (value);
      break;
    case PROP_LABELS:
      g_strfreev (self->labels);
      self->labels = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_status_class_init (HeroVirtContainerStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_status_finalize;
  object_class->get_property = hero_virt_container_status_get_property;
  object_class->set_property = hero_virt_container_status_set_property;

  /**
   * HeroVirtContainerStatus:id:
   *
   * The container's full ID (or the engine's short ID in a nerdctl listing).
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:name:
   *
   * The container's name.
   *
   * Since: 0.1
   */
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:image:
   *
   * The image it was created from.
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE]
      = g_param_spec_string ("image", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:state:
   *
   * The normalised state: `created`, `running`, `paused`, `restarting`,
   * `exited`, `removing`, `dead` or `unknown`.
   *
   * Since: 0.1
   */
  properties[PROP_STATE]
      = g_param_spec_string ("state", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:status:
   *
   * The engine's human-readable status, such as `Up 2 minutes (healthy)`;
   * %NULL where the engine gives none.
   *
   * Since: 0.1
   */
  properties[PROP_STATUS]
      = g_param_spec_string ("status", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:running:
   *
   * Whether the container is running.
   *
   * Since: 0.1
   */
  properties[PROP_RUNNING]
      = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:exit-code:
   *
   * The exit code of the last run (0 while running or never run).
   *
   * Since: 0.1
   */
  properties[PROP_EXIT_CODE]
      = g_param_spec_int ("exit-code", NULL, NULL, G_MININT, G_MAXINT, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:pid:
   *
   * The main process's PID on the engine's host, or 0.
   *
   * Since: 0.1
   */
  properties[PROP_PID]
      = g_param_spec_int ("pid", NULL, NULL, G_MININT, G_MAXINT, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:created:
   *
   * When it was created (RFC 3339 where the engine says so).
   *
   * Since: 0.1
   */
  properties[PROP_CREATED]
      = g_param_spec_string ("created", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:started-at:
   *
   * When it last started (RFC 3339), or %NULL if never.
   *
   * Since: 0.1
   */
  properties[PROP_STARTED_AT]
      = g_param_spec_string ("started-at", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:finished-at:
   *
   * When it last stopped (RFC 3339), or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_FINISHED_AT]
      = g_param_spec_string ("finished-at", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:health-status:
   *
   * The health status, `starting`, `healthy` or `unhealthy`, or %NULL when
   * the container has no health check.
   *
   * Since: 0.1
   */
  properties[PROP_HEALTH_STATUS]
      = g_param_spec_string ("health-status", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:health-output:
   *
   * The output of the last health check, or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_HEALTH_OUTPUT]
      = g_param_spec_string ("health-output", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:health-failing-streak:
   *
   * How many health checks in a row have failed.
   *
   * Since: 0.1
   */
  properties[PROP_HEALTH_FAILING_STREAK]
      = g_param_spec_int ("health-failing-streak", NULL, NULL, G_MININT, G_MAXINT, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:restart-count:
   *
   * How many times the engine restarted it.
   *
   * Since: 0.1
   */
  properties[PROP_RESTART_COUNT]
      = g_param_spec_int ("restart-count", NULL, NULL, G_MININT, G_MAXINT, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:ports:
   *
   * The published ports, as `127.0.0.1:8080->80/tcp, …`; %NULL if none.
   *
   * Since: 0.1
   */
  properties[PROP_PORTS]
      = g_param_spec_string ("ports", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStatus:labels:
   *
   * The labels as `key=value` strings.
   *
   * Since: 0.1
   */
  properties[PROP_LABELS]
      = g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_container_status_init (HeroVirtContainerStatus *self)
{
}

/**
 * hero_virt_container_status_get_id:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:id].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_id (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->id;
}

/**
 * hero_virt_container_status_get_name:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:name].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_name (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->name;
}

/**
 * hero_virt_container_status_get_image:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:image].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_image (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->image;
}

/**
 * hero_virt_container_status_get_state:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:state].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_state (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->state;
}

/**
 * hero_virt_container_status_get_status:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:status].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_status (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->status;
}

/**
 * hero_virt_container_status_get_running:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:running].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_status_get_running (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), FALSE);

  return self->running;
}

/**
 * hero_virt_container_status_get_exit_code:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:exit-code].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
int
hero_virt_container_status_get_exit_code (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), 0);

  return self->exit_code;
}

/**
 * hero_virt_container_status_get_pid:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:pid].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
int
hero_virt_container_status_get_pid (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), 0);

  return self->pid;
}

/**
 * hero_virt_container_status_get_created:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:created].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_created (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->created;
}

/**
 * hero_virt_container_status_get_started_at:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:started-at].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_started_at (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->started_at;
}

/**
 * hero_virt_container_status_get_finished_at:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:finished-at].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_finished_at (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->finished_at;
}

/**
 * hero_virt_container_status_get_health_status:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:health-status].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_health_status (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->health_status;
}

/**
 * hero_virt_container_status_get_health_output:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:health-output].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_health_output (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->health_output;
}

/**
 * hero_virt_container_status_get_health_failing_streak:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:health-failing-streak].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
int
hero_virt_container_status_get_health_failing_streak (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), 0);

  return self->health_failing_streak;
}

/**
 * hero_virt_container_status_get_restart_count:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:restart-count].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
int
hero_virt_container_status_get_restart_count (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), 0);

  return self->restart_count;
}

/**
 * hero_virt_container_status_get_ports:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:ports].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_status_get_ports (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return self->ports;
}

/**
 * hero_virt_container_status_get_labels:
 * @self: a #HeroVirtContainerStatus
 *
 * Gets [property@HeroVirt.ContainerStatus:labels].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_status_get_labels (HeroVirtContainerStatus *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATUS (self), NULL);

  return (const char *const *)self->labels;
}
