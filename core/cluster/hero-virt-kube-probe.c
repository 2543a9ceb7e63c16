/* hero-virt-kube-probe.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtKubeProbe:
 *
 * How the kubelet checks a container: run a command in it (`exec`), ask
 * an HTTP path (`httpGet`), or connect to a port (`tcpSocket`), with
 * delays, periods and thresholds. Give it to
 * [method@HeroVirt.KubeWorkloadBuilder.readiness_probe],
 * [method@HeroVirt.KubeWorkloadBuilder.liveness_probe] or
 * [method@HeroVirt.KubeWorkloadBuilder.startup_probe]; it is checked
 * there (port range, an absolute path, a command) when the workload is
 * built. Setters return the probe, so calls chain:
 *
 * ```python
 * probe = HeroVirt.KubeProbe.new_http_get("/healthz", 8080).initial_delay(5).period(10)
 * ```
 *
 * Since: 0.1
 */
typedef enum
{
  PROBE_EXEC,
  PROBE_HTTP_GET,
  PROBE_TCP_SOCKET,
} ProbeType;

struct _HeroVirtKubeProbe
{
  GObject parent_instance;

  ProbeType  type;
  char     **command;
  char      *path;
  int        port;
  char      *scheme;
  GPtrArray *headers;                                          /* name, value, name, value … */
  int        initial_delay, period, timeout, success, failure; /* -1: the default */
};

G_DEFINE_FINAL_TYPE (HeroVirtKubeProbe, hero_virt_kube_probe, G_TYPE_OBJECT)

static void
hero_virt_kube_probe_finalize (GObject *object)
{
  HeroVirtKubeProbe *self = HERO_VIRT_KUBE_PROBE (object);

  g_strfreev (self->command);
  g_free (self->path);
  g_free (self->scheme);
  g_ptr_array_unref (self->headers);
  G_OBJECT_CLASS (hero_virt_kube_probe_parent_class)->finalize (object);
}

static void
hero_virt_kube_probe_class_init (HeroVirtKubeProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_kube_probe_finalize;
}

static void
hero_virt_kube_probe_init (HeroVirtKubeProbe *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->initial_delay = self->period = self->timeout = self->success = self->failure = -1;
}

/**
 * hero_virt_kube_probe_new_exec:
 * @command: (array zero-terminated=1): the command and its arguments,
 *   run in the container without a shell; exit status 0 is healthy
 *
 * Returns: (transfer full): an `exec` probe
 *
 * Since: 0.1
 */
HeroVirtKubeProbe *
hero_virt_kube_probe_new_exec (const char *const *command)
{
  HeroVirtKubeProbe *self = g_object_new (HERO_VIRT_TYPE_KUBE_PROBE, NULL);

  self->type = PROBE_EXEC;
  self->command = g_strdupv ((char **)command);
  return self;
}

/**
 * hero_virt_kube_probe_new_http_get:
 * @path: the absolute path to ask, such as `/healthz`
 * @port: the container's port
 *
 * Returns: (transfer full): an `httpGet` probe; a status from 200 to 399
 *   is healthy
 *
 * Since: 0.1
 */
HeroVirtKubeProbe *
hero_virt_kube_probe_new_http_get (const char *path, int port)
{
  HeroVirtKubeProbe *self = g_object_new (HERO_VIRT_TYPE_KUBE_PROBE, NULL);

  self->type = PROBE_HTTP_GET;
  self->path = g_strdup (path);
  self->port = port;
  return self;
}

/**
 * hero_virt_kube_probe_new_tcp_socket:
 * @port: the container's port
 *
 * Returns: (transfer full): a `tcpSocket` probe; an accepted connection
 *   is healthy
 *
 * Since: 0.1
 */
HeroVirtKubeProbe *
hero_virt_kube_probe_new_tcp_socket (int port)
{
  HeroVirtKubeProbe *self = g_object_new (HERO_VIRT_TYPE_KUBE_PROBE, NULL);

  self->type = PROBE_TCP_SOCKET;
  self->port = port;
  return self;
}

#define DEFINE_INT_SETTER(fn, member, what)                                                        \
  HeroVirtKubeProbe *hero_virt_kube_probe_##fn (HeroVirtKubeProbe *self, int value)                \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_KUBE_PROBE (self), NULL);                                   \
    self->member = value;                                                                          \
    return self;                                                                                   \
  }

/**
 * hero_virt_kube_probe_initial_delay:
 * @self: a #HeroVirtKubeProbe
 * @seconds: seconds after the container starts before the first probe
 *   (`initialDelaySeconds`, 0 or more)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_INT_SETTER (initial_delay, initial_delay, "initialDelaySeconds")
/**
 * hero_virt_kube_probe_period:
 * @self: a #HeroVirtKubeProbe
 * @seconds: seconds between probes (`periodSeconds`, 1 or more)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_INT_SETTER (period, period, "periodSeconds")
/**
 * hero_virt_kube_probe_timeout:
 * @self: a #HeroVirtKubeProbe
 * @seconds: how long one probe may take (`timeoutSeconds`, 1 or more)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_INT_SETTER (timeout, timeout, "timeoutSeconds")
/**
 * hero_virt_kube_probe_success_threshold:
 * @self: a #HeroVirtKubeProbe
 * @count: successes in a row that make it healthy again
 *   (`successThreshold`, 1 or more; 1 for liveness and startup probes)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_INT_SETTER (success_threshold, success, "successThreshold")
/**
 * hero_virt_kube_probe_failure_threshold:
 * @self: a #HeroVirtKubeProbe
 * @count: failures in a row that make it unhealthy
 *   (`failureThreshold`, 1 or more)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_INT_SETTER (failure_threshold, failure, "failureThreshold")
#undef DEFINE_INT_SETTER

/**
 * hero_virt_kube_probe_http_scheme:
 * @self: a #HeroVirtKubeProbe
 * @scheme: `HTTP` (the default) or `HTTPS`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeProbe *
hero_virt_kube_probe_http_scheme (HeroVirtKubeProbe *self, const char *scheme)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_PROBE (self), NULL);
  g_free (self->scheme);
  self->scheme = g_strdup (scheme);
  return self;
}

/**
 * hero_virt_kube_probe_http_header:
 * @self: a #HeroVirtKubeProbe
 * @name: a header's name
 * @value: its value
 *
 * Adds a header to an `httpGet` probe's request.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeProbe *
hero_virt_kube_probe_http_header (HeroVirtKubeProbe *self, const char *name, const char *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_PROBE (self), NULL);
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value ? value : ""));
  return self;
}

static gboolean
is_token (const char *s)
{
  return s != NULL && *s != '\0'
         && strspn (s,
                    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
                == strlen (s);
}

static gboolean
set_timing (JsonObject *o,
            const char *field,
            const char *member,
            int         value,
            int         min,
            GError    **error)
{
  if (value == -1)
    return TRUE;
  if (value < min)
    {
      g_autofree char *what = g_strdup_printf ("%s.%s", field, member);
      g_autofree char *shown = g_strdup_printf ("%d", value);
      g_autofree char *why = g_strdup_printf ("it must be %d or more", min);

      return hero_virt_set_invalid_argument (error, what, shown, why);
    }
  json_object_set_int_member (o, member, value);
  return TRUE;
}

JsonObject *
_hero_virt_kube_probe_to_json (HeroVirtKubeProbe *self, const char *field, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *what = NULL;

  switch (self->type)
    {
    case PROBE_EXEC:
      what = g_strdup_printf ("%s.exec.command", field);
      if (self->command == NULL || self->command[0] == NULL || *self->command[0] == '\0')
        {
          hero_virt_set_invalid_argument (error, what, NULL, "a command is required");
          return NULL;
        }
      for (guint i = 0; self->command[i] != NULL; i++)
        if (!g_utf8_validate (self->command[i], -1, NULL))
          {
            hero_virt_set_invalid_argument (error, what, NULL, "an argument is not UTF-8");
            return NULL;
          }
      {
        JsonObject *exec = _hero_virt_json_object_member (o, "exec");

        json_object_set_array_member (
            exec, "command", _hero_virt_json_strv_array ((const char *const *)self->command));
      }
      break;
    case PROBE_HTTP_GET:
      {
        JsonObject *get = _hero_virt_json_object_member (o, "httpGet");

        what = g_strdup_printf ("%s.httpGet.path", field);
        if (!_hero_virt_kube_check_absolute_path (what, self->path, error))
          return NULL;
        g_free (what);
        what = g_strdup_printf ("%s.httpGet.port", field);
        if (!_hero_virt_kube_check_port (what, self->port, error))
          return NULL;
        json_object_set_string_member (get, "path", self->path);
        json_object_set_int_member (get, "port", self->port);
        if (self->scheme != NULL)
          {
            if (g_strcmp0 (self->scheme, "HTTP") != 0 && g_strcmp0 (self->scheme, "HTTPS") != 0)
              {
                g_free (what);
                what = g_strdup_printf ("%s.httpGet.scheme", field);
                hero_virt_set_invalid_argument (error, what, self->scheme, "use HTTP or HTTPS");
                return NULL;
              }
            json_object_set_string_member (get, "scheme", self->scheme);
          }
        for (guint i = 0; i + 1 < self->headers->len; i += 2)
          {
            const char *name = g_ptr_array_index (self->headers, i);
            const char *value = g_ptr_array_index (self->headers, i + 1);
            JsonObject *h;

            if (!is_token (name) || !hero_virt_validate_text ("header value", value, NULL))
              {
                g_free (what);
                what = g_strdup_printf ("%s.httpGet.httpHeaders", field);
                hero_virt_set_invalid_argument (error, what, name,
                                                "a header is a token name and a one-line value");
                return NULL;
              }
            h = json_object_new ();
            json_object_set_string_member (h, "name", name);
            json_object_set_string_member (h, "value", value);
            json_array_add_object_element (_hero_virt_json_array_member (get, "httpHeaders"), h);
          }
      }
      break;
    case PROBE_TCP_SOCKET:
      what = g_strdup_printf ("%s.tcpSocket.port", field);
      if (!_hero_virt_kube_check_port (what, self->port, error))
        return NULL;
      json_object_set_int_member (_hero_virt_json_object_member (o, "tcpSocket"), "port",
                                  self->port);
      break;
    }
  if (!set_timing (o, field, "initialDelaySeconds", self->initial_delay, 0, error)
      || !set_timing (o, field, "periodSeconds", self->period, 1, error)
      || !set_timing (o, field, "timeoutSeconds", self->timeout, 1, error)
      || !set_timing (o, field, "successThreshold", self->success, 1, error)
      || !set_timing (o, field, "failureThreshold", self->failure, 1, error))
    return NULL;
  return g_steal_pointer (&o);
}
