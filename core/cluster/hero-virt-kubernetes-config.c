/* hero-virt-kubernetes-config.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtKubernetesConfig:
 *
 * How a Kubernetes client ([class@HeroVirt.KubernetesManager], the k8s
 * plugin's provider) talks to the API server: the timeout of each call,
 * how often and how long it retries (exponential backoff with jitter, on
 * 429, 5xx and lost connections, for idempotent requests only), and a
 * token-bucket rate limit. The defaults are the original's: 30 s, 3
 * retries from 1 s up to 30 s, 10 requests/s with bursts of 20.
 *
 * ```python
 * config = HeroVirt.KubernetesConfig.new().with_timeout(5000).with_retries(5, 200, 5000)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtKubernetesConfig
{
  GObject parent_instance;

  guint    timeout_ms;
  guint    max_retries;
  guint    base_delay_ms;
  guint    max_delay_ms;
  double   rps;
  guint    burst;
  gboolean insecure_http;
};

G_DEFINE_FINAL_TYPE (HeroVirtKubernetesConfig, hero_virt_kubernetes_config, G_TYPE_OBJECT)

static void
hero_virt_kubernetes_config_class_init (HeroVirtKubernetesConfigClass *klass)
{
}

static void
hero_virt_kubernetes_config_init (HeroVirtKubernetesConfig *self)
{
  self->timeout_ms = 30000;
  self->max_retries = 3;
  self->base_delay_ms = 1000;
  self->max_delay_ms = 30000;
  self->rps = 10;
  self->burst = 20;
}

static HeroVirtKubernetesConfig *
preset (guint timeout_ms, guint retries, guint base_ms, guint max_ms, double rps, guint burst)
{
  HeroVirtKubernetesConfig *self = hero_virt_kubernetes_config_new ();

  self->timeout_ms = timeout_ms;
  self->max_retries = retries;
  self->base_delay_ms = base_ms;
  self->max_delay_ms = max_ms;
  self->rps = rps;
  self->burst = burst;
  return self;
}

/**
 * hero_virt_kubernetes_config_new:
 *
 * The original's defaults: a 30 s timeout per call, 3 retries with a
 * backoff from 1 s up to 30 s, 10 requests/s with bursts of 20, https
 * only.
 *
 * Returns: (transfer full): a new config
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_KUBERNETES_CONFIG, NULL);
}

/**
 * hero_virt_kubernetes_config_new_high_throughput:
 *
 * The original's `high_throughput` preset, for bulk work: 60 s timeout,
 * 5 retries from 500 ms up to 60 s, 50 requests/s with bursts of 100.
 *
 * Returns: (transfer full): a new config
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_new_high_throughput (void)
{
  return preset (60000, 5, 500, 60000, 50, 100);
}

/**
 * hero_virt_kubernetes_config_new_low_latency:
 *
 * The original's `low_latency` preset, for interactive use: 10 s
 * timeout, 2 retries from 100 ms up to 5 s, 20 requests/s with bursts of
 * 40.
 *
 * Returns: (transfer full): a new config
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_new_low_latency (void)
{
  return preset (10000, 2, 100, 5000, 20, 40);
}

/**
 * hero_virt_kubernetes_config_new_development:
 *
 * The original's `development` preset, forgiving and unthrottled for
 * local clusters: 120 s timeout, 1 retry from 100 ms up to 2 s, 100
 * requests/s with bursts of 200.
 *
 * Returns: (transfer full): a new config
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_new_development (void)
{
  return preset (120000, 1, 100, 2000, 100, 200);
}

/**
 * hero_virt_kubernetes_config_copy:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Copies @self, so later changes to either do not affect the other.
 *
 * Returns: (transfer full): the copy
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_copy (HeroVirtKubernetesConfig *self)
{
  HeroVirtKubernetesConfig *copy;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), NULL);
  copy = preset (self->timeout_ms, self->max_retries, self->base_delay_ms, self->max_delay_ms,
                 self->rps, self->burst);
  copy->insecure_http = self->insecure_http;
  return copy;
}

/**
 * hero_virt_kubernetes_config_with_timeout:
 * @self: a #HeroVirtKubernetesConfig
 * @timeout_ms: the longest a call may wait for the server, in
 *   milliseconds, or 0 for no limit
 *
 * Sets the timeout of each call (each try of it, when it is retried).
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_timeout (HeroVirtKubernetesConfig *self, guint timeout_ms)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), NULL);
  self->timeout_ms = timeout_ms;
  return self;
}

/**
 * hero_virt_kubernetes_config_with_retries:
 * @self: a #HeroVirtKubernetesConfig
 * @max_retries: how many times an idempotent request is tried again, 0
 *   for never
 * @base_delay_ms: the first backoff, in milliseconds; it doubles with
 *   each retry, with up to 50% random jitter
 * @max_delay_ms: the longest backoff, in milliseconds
 *
 * Sets the retry policy. A 429's `Retry-After` is honoured instead of the
 * backoff (up to @max_delay_ms).
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_retries (HeroVirtKubernetesConfig *self,
                                          guint                     max_retries,
                                          guint                     base_delay_ms,
                                          guint                     max_delay_ms)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), NULL);
  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
  return self;
}

/**
 * hero_virt_kubernetes_config_with_rate_limit:
 * @self: a #HeroVirtKubernetesConfig
 * @rps: requests per second on average, or 0 for no limit
 * @burst: how many requests may go at once before the rate applies (at
 *   least 1)
 *
 * Sets the token-bucket rate limit of the client.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_rate_limit (HeroVirtKubernetesConfig *self,
                                             double                    rps,
                                             guint                     burst)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), NULL);
  self->rps = MAX (rps, 0);
  self->burst = MAX (burst, 1);
  return self;
}

/**
 * hero_virt_kubernetes_config_with_insecure_http:
 * @self: a #HeroVirtKubernetesConfig
 * @allow: accept a kubeconfig `server` that is plain `http://`
 *
 * Opts in to API servers without TLS (credentials then travel in clear
 * text). Without it such a server is %HERO_VIRT_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_insecure_http (HeroVirtKubernetesConfig *self, gboolean allow)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), NULL);
  self->insecure_http = !!allow;
  return self;
}

/**
 * hero_virt_kubernetes_config_get_operation_timeout_ms:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: the timeout of each call in milliseconds (0: none)
 *
 * Since: 0.1
 */
guint
hero_virt_kubernetes_config_get_operation_timeout_ms (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->timeout_ms;
}

/**
 * hero_virt_kubernetes_config_get_max_retries:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: how many times an idempotent request is retried
 *
 * Since: 0.1
 */
guint
hero_virt_kubernetes_config_get_max_retries (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->max_retries;
}

/**
 * hero_virt_kubernetes_config_get_retry_base_delay_ms:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: the first backoff in milliseconds
 *
 * Since: 0.1
 */
guint
hero_virt_kubernetes_config_get_retry_base_delay_ms (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->base_delay_ms;
}

/**
 * hero_virt_kubernetes_config_get_retry_max_delay_ms:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: the longest backoff in milliseconds
 *
 * Since: 0.1
 */
guint
hero_virt_kubernetes_config_get_retry_max_delay_ms (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->max_delay_ms;
}

/**
 * hero_virt_kubernetes_config_get_rate_limit_rps:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: the average requests per second allowed (0: no limit)
 *
 * Since: 0.1
 */
double
hero_virt_kubernetes_config_get_rate_limit_rps (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->rps;
}

/**
 * hero_virt_kubernetes_config_get_rate_limit_burst:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: the size of the token bucket
 *
 * Since: 0.1
 */
guint
hero_virt_kubernetes_config_get_rate_limit_burst (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), 0);
  return self->burst;
}

/**
 * hero_virt_kubernetes_config_get_allow_insecure_http:
 * @self: a #HeroVirtKubernetesConfig
 *
 * Returns: whether plain `http://` servers are accepted
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_config_get_allow_insecure_http (HeroVirtKubernetesConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_CONFIG (self), FALSE);
  return self->insecure_http;
}
