/* hero-virt-health-check.c: a container health check
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-private.h"

/**
 * HeroVirtHealthCheck:
 *
 * A container health check, as `docker run --health-*` takes it: a command
 * run inside the container (by its shell), how often, how long it may
 * take, how many failures make the container unhealthy and how long a
 * start-up grace period lasts.
 *
 * Durations are strings such as `30s`, `1m30s` or `500ms`; %NULL leaves
 * the engine's default. Where no timer runs the checks (no systemd), the
 * podman plugin sets the interval to 0 when none is given, and
 * [method@HeroVirt.Container.wait_healthy] runs the check on demand.
 *
 * ```python hc = HeroVirt.HealthCheck.new("wget -q -O-
 * http://127.0.0.1:8080/ || exit 1").set_retries(3) ```
 *
 * Since: 0.1
 */
struct _HeroVirtHealthCheck
{
  GObject parent_instance;

  char *cmd;
  char *interval;
  char *timeout;
  guint retries;
  char *start_period;
};

enum
{
  PROP_0,
  PROP_CMD,
  PROP_INTERVAL,
  PROP_TIMEOUT,
  PROP_RETRIES,
  PROP_START_PERIOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtHealthCheck, hero_virt_health_check, G_TYPE_OBJECT)

static void
hero_virt_health_check_finalize (GObject *object)
{
  HeroVirtHealthCheck *self = HERO_VIRT_HEALTH_CHECK (object);

  g_free (self->cmd);
  g_free (self->interval);
  g_free (self->timeout);
  g_free (self->start_period);

  G_OBJECT_CLASS (hero_virt_health_check_parent_class)->finalize (object);
}

static void
hero_virt_health_check_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtHealthCheck *self = HERO_VIRT_HEALTH_CHECK (object);

  switch (prop_id)
    {
    case PROP_CMD:
      g_value_set_string (value, self->cmd);
      break;
    case PROP_INTERVAL:
      g_value_set_string (value, self->interval);
      break;
    case PROP_TIMEOUT:
      g_value_set_string (value, self->timeout);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    case PROP_START_PERIOD:
      g_value_set_string (value, self->start_period);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The libsoup way round: a property is set through its public setter,
 * which stores the value and notifies. */
static void
hero_virt_health_check_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtHealthCheck *self = HERO_VIRT_HEALTH_CHECK (object);

  switch (prop_id)
    {
    case PROP_CMD:
      hero_virt_health_check_set_cmd (self, g_value_get_string (value));
      break;
    case PROP_INTERVAL:
      hero_virt_health_check_set_interval (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      hero_virt_health_check_set_timeout (self, g_value_get_string (value));
      break;
    case PROP_RETRIES:
      hero_virt_health_check_set_retries (self, g_value_get_uint (value));
      break;
    case PROP_START_PERIOD:
      hero_virt_health_check_set_start_period (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Stores @value in @field and notifies @prop_id if it changed. */
static HeroVirtHealthCheck *
set_string (HeroVirtHealthCheck *self, char **field, guint prop_id, const char *value)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
  return self;
}

static void
hero_virt_health_check_class_init (HeroVirtHealthCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_health_check_finalize;
  object_class->get_property = hero_virt_health_check_get_property;
  object_class->set_property = hero_virt_health_check_set_property;

  /**
   * HeroVirtHealthCheck:cmd:
   *
   * The command, run by the container's shell; exit status 0 means healthy.
   *
   * Since: 0.1
   */
  properties[PROP_CMD]
      = g_param_spec_string ("cmd", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtHealthCheck:interval:
   *
   * How often the check runs, such as `30s`; %NULL for the engine's default.
   *
   * Since: 0.1
   */
  properties[PROP_INTERVAL]
      = g_param_spec_string ("interval", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtHealthCheck:timeout:
   *
   * How long one check may take; %NULL for the engine's default.
   *
   * Since: 0.1
   */
  properties[PROP_TIMEOUT]
      = g_param_spec_string ("timeout", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtHealthCheck:retries:
   *
   * How many consecutive failures make the container unhealthy; 0 for the
   * engine's default.
   *
   * Since: 0.1
   */
  properties[PROP_RETRIES]
      = g_param_spec_uint ("retries", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtHealthCheck:start-period:
   *
   * A grace period after start during which failures do not count; %NULL for
   * none.
   *
   * Since: 0.1
   */
  properties[PROP_START_PERIOD]
      = g_param_spec_string ("start-period", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_health_check_init (HeroVirtHealthCheck *self)
{
}

/**
 * hero_virt_health_check_new:
 * @cmd: the command, run by the container's shell (`/bin/sh -c`)
 *
 * Creates a health check running @cmd; exit status 0 means healthy.
 *
 * Returns: (transfer full): a new #HeroVirtHealthCheck
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_new (const char *cmd)
{
  return g_object_new (HERO_VIRT_TYPE_HEALTH_CHECK, "cmd", cmd, NULL);
}

/**
 * hero_virt_health_check_validate:
 * @self: a #HeroVirtHealthCheck
 * @error: return location for a #GError
 *
 * Checks that the command is set and single-line-safe (no NUL, not empty)
 * and that the durations look like `30s`, `1m30s` or `500ms`.
 *
 * Returns: %TRUE if the health check can be used
 *
 * Since: 0.1
 */
gboolean
hero_virt_health_check_validate (HeroVirtHealthCheck *self, GError **error)
{
  const char *durations[] = { self->interval, self->timeout, self->start_period };
  const char *names[]
      = { "health check interval", "health check timeout", "health check start period" };

  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), FALSE);

  if (self->cmd == NULL || strspn (self->cmd, " \t\r\n") == strlen (self->cmd))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "A health check needs a command");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    if (!_hero_virt_validate_duration (names[i], durations[i], error))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_health_check_get_cmd:
 * @self: a #HeroVirtHealthCheck
 *
 * Gets [property@HeroVirt.HealthCheck:cmd].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_health_check_get_cmd (HeroVirtHealthCheck *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return self->cmd;
}

/**
 * hero_virt_health_check_set_cmd:
 * @self: a #HeroVirtHealthCheck
 * @cmd: (nullable): the new value
 *
 * Sets [property@HeroVirt.HealthCheck:cmd].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_set_cmd (HeroVirtHealthCheck *self, const char *cmd)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return set_string (self, &self->cmd, PROP_CMD, cmd);
}

/**
 * hero_virt_health_check_get_interval:
 * @self: a #HeroVirtHealthCheck
 *
 * Gets [property@HeroVirt.HealthCheck:interval].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_health_check_get_interval (HeroVirtHealthCheck *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return self->interval;
}

/**
 * hero_virt_health_check_set_interval:
 * @self: a #HeroVirtHealthCheck
 * @interval: (nullable): the new value
 *
 * Sets [property@HeroVirt.HealthCheck:interval].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_set_interval (HeroVirtHealthCheck *self, const char *interval)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return set_string (self, &self->interval, PROP_INTERVAL, interval);
}

/**
 * hero_virt_health_check_get_timeout:
 * @self: a #HeroVirtHealthCheck
 *
 * Gets [property@HeroVirt.HealthCheck:timeout].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_health_check_get_timeout (HeroVirtHealthCheck *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return self->timeout;
}

/**
 * hero_virt_health_check_set_timeout:
 * @self: a #HeroVirtHealthCheck
 * @timeout: (nullable): the new value
 *
 * Sets [property@HeroVirt.HealthCheck:timeout].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_set_timeout (HeroVirtHealthCheck *self, const char *timeout)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return set_string (self, &self->timeout, PROP_TIMEOUT, timeout);
}

/**
 * hero_virt_health_check_get_retries:
 * @self: a #HeroVirtHealthCheck
 *
 * Gets [property@HeroVirt.HealthCheck:retries].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint
hero_virt_health_check_get_retries (HeroVirtHealthCheck *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), 0);

  return self->retries;
}

/**
 * hero_virt_health_check_set_retries:
 * @self: a #HeroVirtHealthCheck
 * @retries: the new value
 *
 * Sets [property@HeroVirt.HealthCheck:retries].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_set_retries (HeroVirtHealthCheck *self, guint retries)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  if (self->retries != retries)
    {
      self->retries = retries;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRIES]);
    }
  return self;
}

/**
 * hero_virt_health_check_get_start_period:
 * @self: a #HeroVirtHealthCheck
 *
 * Gets [property@HeroVirt.HealthCheck:start-period].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_health_check_get_start_period (HeroVirtHealthCheck *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return self->start_period;
}

/**
 * hero_virt_health_check_set_start_period:
 * @self: a #HeroVirtHealthCheck
 * @start_period: (nullable): the new value
 *
 * Sets [property@HeroVirt.HealthCheck:start-period].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_health_check_set_start_period (HeroVirtHealthCheck *self, const char *start_period)
{
  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), NULL);

  return set_string (self, &self->start_period, PROP_START_PERIOD, start_period);
}
