/* hero-virt-container-stats.c: one sample of a container's resource use
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtContainerStats:
 *
 * One sample of a running container's resource use, as `stats --no-stream`
 * reports it. Sizes are in bytes.
 *
 * Since: 0.1
 */
struct _HeroVirtContainerStats
{
  GObject parent_instance;

  double  cpu_percent;
  guint64 memory_usage;
  guint64 memory_limit;
  double  memory_percent;
  guint64 net_input;
  guint64 net_output;
  guint64 block_input;
  guint64 block_output;
  guint64 pids;
};

enum
{
  PROP_0,
  PROP_CPU_PERCENT,
  PROP_MEMORY_USAGE,
  PROP_MEMORY_LIMIT,
  PROP_MEMORY_PERCENT,
  PROP_NET_INPUT,
  PROP_NET_OUTPUT,
  PROP_BLOCK_INPUT,
  PROP_BLOCK_OUTPUT,
  PROP_PIDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerStats, hero_virt_container_stats, G_TYPE_OBJECT)

static void
hero_virt_container_stats_finalize (GObject *object)
{

  G_OBJECT_CLASS (hero_virt_container_stats_parent_class)->finalize (object);
}

static void
hero_virt_container_stats_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HeroVirtContainerStats *self = HERO_VIRT_CONTAINER_STATS (object);

  switch (prop_id)
    {
    case PROP_CPU_PERCENT:
      g_value_set_double (value, self->cpu_percent);
      break;
    case PROP_MEMORY_USAGE:
      g_value_set_uint64 (value, self->memory_usage);
      break;
    case PROP_MEMORY_LIMIT:
      g_value_set_uint64 (value, self->memory_limit);
      break;
    case PROP_MEMORY_PERCENT:
      g_value_set_double (value, self->memory_percent);
      break;
    case PROP_NET_INPUT:
      g_value_set_uint64 (value, self->net_input);
      break;
    case PROP_NET_OUTPUT:
      g_value_set_uint64 (value, self->net_output);
      break;
    case PROP_BLOCK_INPUT:
      g_value_set_uint64 (value, self->block_input);
      break;
    case PROP_BLOCK_OUTPUT:
      g_value_set_uint64 (value, self->block_output);
      break;
    case PROP_PIDS:
      g_value_set_uint64 (value, self->pids);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_stats_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HeroVirtContainerStats *self = HERO_VIRT_CONTAINER_STATS (object);

  switch (prop_id)
    {
    case PROP_CPU_PERCENT:
      self->cpu_percent = g_value_get_double (value);
      break;
    case PROP_MEMORY_USAGE:
      self->memory_usage = g_value_get_uint64 (value);
      break;
    case PROP_MEMORY_LIMIT:
      self->memory_limit = g_value_get_uint64 (value);
      break;
    case PROP_MEMORY_PERCENT:
      self->memory_percent = g_value_get_double (value);
      break;
    case PROP_NET_INPUT:
      self->net_input = g_value_get_uint64 (value);
      break;
    case PROP_NET_OUTPUT:
      self->net_output = g_value_get_uint64 (value);
      break;
    case PROP_BLOCK_INPUT:
      self->block_input = g_value_get_uint64 (value);
      break;
    case PROP_BLOCK_OUTPUT:
      self->block_output = g_value_get_uint64 (value);
      break;
    case PROP_PIDS:
      self->pids = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_stats_class_init (HeroVirtContainerStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_stats_finalize;
  object_class->get_property = hero_virt_container_stats_get_property;
  object_class->set_property = hero_virt_container_stats_set_property;

  /**
   * HeroVirtContainerStats:cpu-percent:
   *
   * CPU use in percent of one CPU since the previous sample (or since
   * start).
   *
   * Since: 0.1
   */
  properties[PROP_CPU_PERCENT]
      = g_param_spec_double ("cpu-percent", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:memory-usage:
   *
   * Memory in use, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_USAGE]
      = g_param_spec_uint64 ("memory-usage", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:memory-limit:
   *
   * The memory limit in bytes (the host's memory when unlimited).
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_LIMIT]
      = g_param_spec_uint64 ("memory-limit", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:memory-percent:
   *
   * Memory use in percent of the limit.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_PERCENT]
      = g_param_spec_double ("memory-percent", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:net-input:
   *
   * Bytes received over the network.
   *
   * Since: 0.1
   */
  properties[PROP_NET_INPUT]
      = g_param_spec_uint64 ("net-input", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:net-output:
   *
   * Bytes sent over the network.
   *
   * Since: 0.1
   */
  properties[PROP_NET_OUTPUT]
      = g_param_spec_uint64 ("net-output", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:block-input:
   *
   * Bytes read from block devices.
   *
   * Since: 0.1
   */
  properties[PROP_BLOCK_INPUT]
      = g_param_spec_uint64 ("block-input", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:block-output:
   *
   * Bytes written to block devices.
   *
   * Since: 0.1
   */
  properties[PROP_BLOCK_OUTPUT]
      = g_param_spec_uint64 ("block-output", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerStats:pids:
   *
   * Processes (and threads) in the container.
   *
   * Since: 0.1
   */
  properties[PROP_PIDS]
      = g_param_spec_uint64 ("pids", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_container_stats_init (HeroVirtContainerStats *self)
{
}

/**
 * hero_virt_container_stats_get_cpu_percent:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:cpu-percent].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
double
hero_virt_container_stats_get_cpu_percent (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->cpu_percent;
}

/**
 * hero_virt_container_stats_get_memory_usage:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:memory-usage].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_memory_usage (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->memory_usage;
}

/**
 * hero_virt_container_stats_get_memory_limit:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:memory-limit].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_memory_limit (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->memory_limit;
}

/**
 * hero_virt_container_stats_get_memory_percent:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:memory-percent].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
double
hero_virt_container_stats_get_memory_percent (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->memory_percent;
}

/**
 * hero_virt_container_stats_get_net_input:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:net-input].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_net_input (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->net_input;
}

/**
 * hero_virt_container_stats_get_net_output:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:net-output].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_net_output (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->net_output;
}

/**
 * hero_virt_container_stats_get_block_input:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:block-input].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_block_input (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->block_input;
}

/**
 * hero_virt_container_stats_get_block_output:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:block-output].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_block_output (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->block_output;
}

/**
 * hero_virt_container_stats_get_pids:
 * @self: a #HeroVirtContainerStats
 *
 * Gets [property@HeroVirt.ContainerStats:pids].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_stats_get_pids (HeroVirtContainerStats *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_STATS (self), 0);

  return self->pids;
}
