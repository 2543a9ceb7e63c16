/* hero-virt-registry-deployer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "hero-virt-kube-app-private.h"

/**
 * HeroVirtRegistryDeployer:
 *
 * A container registry (`registry:2` or an image compatible with it,
 * listening on port 5000) deployed into the cluster, the original's
 * `RegistryDeployer`: a Deployment and a Service named after it (a
 * `NodePort` service, or `ClusterIP` for in-cluster use only), storage in
 * an emptyDir (the default) or an existing persistent volume claim,
 * optional htpasswd authentication (a bcrypt entry made with `htpasswd
 * -B`, the password fed on its standard input, kept in the Secret
 * `<name>-htpasswd`) and optional TLS from a `kubernetes.io/tls` secret.
 *
 * [method@HeroVirt.RegistryDeployer.deploy] applies the objects, waits
 * until the registry's pods are ready (a %HERO_VIRT_ERROR_TIMEOUT names
 * the pod and its last condition) and until the registry answers `/v2/`
 * (200, or 401 with authentication), then gives the endpoint
 * (`host:port`: the node's address and the node port, or
 * `<name>.<namespace>.svc:5000` for a ClusterIP service) and the
 * credentials. [method@HeroVirt.RegistryDeployer.remove] deletes it all.
 *
 * ```python
 * reg = (HeroVirt.RegistryDeployer.new(km, "registry")
 *        .node_port(30500).auth("builder", None))
 * reg.deploy(120000, None)
 * print(reg.get_endpoint(), reg.get_username(), reg.get_password())
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtRegistryDeployer
{
  GObject parent_instance;

  HeroVirtKubeApp app; /* name, manager, first bad input */
  char           *image;
  gboolean        cluster_ip;
  int             node_port;
  char           *pvc;
  char           *username, *password;
  char           *tls_secret;
  char           *endpoint_host;
  char           *endpoint;
};

G_DEFINE_FINAL_TYPE (HeroVirtRegistryDeployer, hero_virt_registry_deployer, G_TYPE_OBJECT)

#define REGISTRY_PORT 5000

static void
hero_virt_registry_deployer_finalize (GObject *object)
{
  HeroVirtRegistryDeployer *self = HERO_VIRT_REGISTRY_DEPLOYER (object);

  _hero_virt_kube_app_clear (&self->app);
  g_free (self->image);
  g_free (self->pvc);
  g_free (self->username);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->tls_secret);
  g_free (self->endpoint_host);
  g_free (self->endpoint);
  G_OBJECT_CLASS (hero_virt_registry_deployer_parent_class)->finalize (object);
}

static void
hero_virt_registry_deployer_class_init (HeroVirtRegistryDeployerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_registry_deployer_finalize;
}

static void
hero_virt_registry_deployer_init (HeroVirtRegistryDeployer *self)
{
  self->image = g_strdup ("docker.io/library/registry:2");
}

/**
 * hero_virt_registry_deployer_new:
 * @manager: the manager of the namespace to deploy into
 * @name: (nullable): the registry's name (a DNS-1035 label: the
 *   Deployment and Service are called so), or %NULL for `registry`
 *
 * Returns: (transfer full): a registry deployer: a NodePort service with
 *   a port the cluster picks, emptyDir storage, no authentication, no TLS
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_new (HeroVirtKubernetesManager *manager, const char *name)
{
  HeroVirtRegistryDeployer *self;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  self = g_object_new (HERO_VIRT_TYPE_REGISTRY_DEPLOYER, NULL);
  _hero_virt_kube_app_init (&self->app, "Registry", manager, name ? name : "registry");
  return self;
}

static void
replace (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/**
 * hero_virt_registry_deployer_namespace:
 * @self: a #HeroVirtRegistryDeployer
 * @namespace: the namespace to deploy into instead of the manager's (a
 *   DNS-1123 label); the connection stays the manager's
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_namespace (HeroVirtRegistryDeployer *self, const char *namespace)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  if (namespace == NULL || !hero_virt_kube_validate_dns1123_label (namespace, &error))
    _hero_virt_kube_app_take_error (
        &self->app, error ? g_steal_pointer (&error)
                          : g_error_new_literal (HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                                                 "A registry's namespace is required"));
  else
    _hero_virt_kube_app_use_namespace (&self->app, namespace);
  return self;
}

/**
 * hero_virt_registry_deployer_image:
 * @self: a #HeroVirtRegistryDeployer
 * @image: a registry image that serves the distribution API on port
 *   5000 and reads the `REGISTRY_*` environment as `registry:2` does
 *   (the default `docker.io/library/registry:2`)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_image (HeroVirtRegistryDeployer *self, const char *image)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  replace (&self->image, image);
  return self;
}

/**
 * hero_virt_registry_deployer_node_port:
 * @self: a #HeroVirtRegistryDeployer
 * @port: the node port (30000 to 32767), or 0 to let the cluster pick
 *
 * Reaches the registry from outside the cluster through a `NodePort`
 * service (the default).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_node_port (HeroVirtRegistryDeployer *self, int port)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  self->cluster_ip = FALSE;
  self->node_port = port;
  return self;
}

/**
 * hero_virt_registry_deployer_cluster_ip:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Serves the registry inside the cluster only (a `ClusterIP` service):
 * its endpoint is `<name>.<namespace>.svc:5000`, and deploy() checks
 * `/v2/` from inside its pod.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_cluster_ip (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  self->cluster_ip = TRUE;
  self->node_port = 0;
  return self;
}

/**
 * hero_virt_registry_deployer_storage_empty_dir:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Keeps the images in an emptyDir (the default): they go with the pod.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_storage_empty_dir (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  g_clear_pointer (&self->pvc, g_free);
  return self;
}

/**
 * hero_virt_registry_deployer_storage_pvc:
 * @self: a #HeroVirtRegistryDeployer
 * @claim: an existing persistent volume claim in the namespace
 *
 * Keeps the images on a persistent volume; the deployment then replaces
 * its pod by stopping the old one first (strategy `Recreate`).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_storage_pvc (HeroVirtRegistryDeployer *self, const char *claim)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  replace (&self->pvc, claim ? claim : "");
  return self;
}

/**
 * hero_virt_registry_deployer_auth:
 * @self: a #HeroVirtRegistryDeployer
 * @username: the user to create (no `:`)
 * @password: (nullable): the password, or %NULL for a random one of 24
 *   characters ([method@HeroVirt.RegistryDeployer.get_password])
 *
 * Requires HTTP basic authentication (htpasswd, bcrypt).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_auth (HeroVirtRegistryDeployer *self,
                                  const char               *username,
                                  const char               *password)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  if (username == NULL || *username == '\0' || strchr (username, ':') != NULL
      || !hero_virt_validate_text ("user name", username, NULL) || strlen (username) > 255)
    {
      _hero_virt_kube_app_invalid (&self->app, "registry user name", username,
                                   "a user name is one line of text without ':'");
      return self;
    }
  if (password != NULL && (*password == '\0' || strpbrk (password, "\r\n") != NULL))
    {
      /* the password itself is never shown */
      _hero_virt_kube_app_invalid (&self->app, "registry password", NULL,
                                   "a password is one non-empty line");
      return self;
    }
  replace (&self->username, username);
  g_free (self->password);
  self->password = password ? g_strdup (password) : _hero_virt_kube_random_password ();
  return self;
}

/**
 * hero_virt_registry_deployer_tls_secret:
 * @self: a #HeroVirtRegistryDeployer
 * @secret: a `kubernetes.io/tls` secret (`tls.crt`, `tls.key`) in the
 *   namespace; the registry then serves HTTPS
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_tls_secret (HeroVirtRegistryDeployer *self, const char *secret)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  replace (&self->tls_secret, secret ? secret : "");
  return self;
}

/**
 * hero_virt_registry_deployer_endpoint_host:
 * @self: a #HeroVirtRegistryDeployer
 * @host: (nullable): the host a node port is reached on, or %NULL for
 *   the address of the node the registry runs on (its ExternalIP, else
 *   InternalIP)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_endpoint_host (HeroVirtRegistryDeployer *self, const char *host)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  replace (&self->endpoint_host, host);
  return self;
}

static char *
auth_secret_name (HeroVirtRegistryDeployer *self)
{
  return g_strdup_printf ("%s-htpasswd", self->app.name);
}

static char *
htpasswd_line (HeroVirtRegistryDeployer *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("htpasswd");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *line = NULL;

  /* -i: the password comes on stdin, never in argv */
  hero_virt_command_add_args (cmd, "-n", "-i", "-B", "--", self->username, NULL);
  hero_virt_command_set_stdin_text (cmd, self->password);
  hero_virt_command_set_timeout (cmd, 30000);
  if ((result = _hero_virt_kube_run_local (cmd, cancellable, error)) == NULL)
    {
      g_prefix_error (error, "Making the registry's htpasswd entry (apache2-utils): ");
      return NULL;
    }
  line = g_strstrip (g_strdup (hero_virt_command_result_get_stdout_text (result)));
  if (!g_str_has_prefix (line, self->username) || line[strlen (self->username)] != ':')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "htpasswd did not print an entry for %s", self->username);
      return NULL;
    }
  return g_strconcat (line, "\n", NULL);
}

/**
 * hero_virt_registry_deployer_build:
 * @self: a #HeroVirtRegistryDeployer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The objects [method@HeroVirt.RegistryDeployer.deploy] applies, in
 * order: the htpasswd Secret (with authentication), the Deployment and
 * the Service. Nothing is sent to the cluster; with authentication
 * `htpasswd` runs locally.
 *
 * Returns: (transfer container) (element-type Json.Node): the objects,
 *   or %NULL with %HERO_VIRT_ERROR_INVALID_ARGUMENT naming what is wrong
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_registry_deployer_build (HeroVirtRegistryDeployer *self,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (HeroVirtDeploymentBuilder) d = NULL;
  g_autoptr (HeroVirtServiceBuilder) s = NULL;
  g_autoptr (HeroVirtKubeProbe) probe = NULL;
  HeroVirtKubeWorkloadBuilder *w;
  JsonNode                    *node;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);

  if (!_hero_virt_kube_app_check (&self->app, error))
    return NULL;
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  d = hero_virt_deployment_builder_new (self->app.manager, self->app.name);
  w = HERO_VIRT_KUBE_WORKLOAD_BUILDER (d);
  _hero_virt_kube_app_label (&self->app, HERO_VIRT_KUBE_RESOURCE_BUILDER (d), "app", "registry");
  hero_virt_kube_workload_builder_container (w, "registry");
  hero_virt_kube_workload_builder_image (w, self->image);
  hero_virt_kube_workload_builder_port_full (w, "registry", REGISTRY_PORT, NULL);
  hero_virt_kube_workload_builder_env (w, "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
                                       "/var/lib/registry");
  hero_virt_kube_workload_builder_env (w, "REGISTRY_STORAGE_DELETE_ENABLED", "true");
  probe = hero_virt_kube_probe_new_tcp_socket (REGISTRY_PORT);
  hero_virt_kube_probe_period (probe, 2);
  hero_virt_kube_workload_builder_readiness_probe (w, probe);
  if (self->pvc != NULL)
    {
      hero_virt_kube_workload_builder_volume_pvc (w, "data", self->pvc, "/var/lib/registry");
      hero_virt_deployment_builder_recreate (d, TRUE);
    }
  else
    hero_virt_kube_workload_builder_volume_empty_dir (w, "data", "/var/lib/registry");
  if (self->username != NULL)
    {
      g_autofree char *secret_name = auth_secret_name (self);
      g_autofree char *line = NULL;
      g_autoptr (HeroVirtSecretBuilder) secret
          = hero_virt_secret_builder_new (self->app.manager, secret_name);

      hero_virt_kube_workload_builder_env (w, "REGISTRY_AUTH", "htpasswd");
      hero_virt_kube_workload_builder_env (w, "REGISTRY_AUTH_HTPASSWD_REALM", "HeroVirt Registry");
      hero_virt_kube_workload_builder_env (w, "REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd");
      hero_virt_kube_workload_builder_volume_secret (w, "auth", secret_name, "/auth");
      /* validate the secret's name before htpasswd runs */
      if (!hero_virt_kube_resource_builder_validate (HERO_VIRT_KUBE_RESOURCE_BUILDER (secret),
                                                     error)
          || (line = htpasswd_line (self, cancellable, error)) == NULL)
        return NULL;
      _hero_virt_kube_app_label (&self->app, HERO_VIRT_KUBE_RESOURCE_BUILDER (secret), "app", NULL);
      hero_virt_secret_builder_data (secret, "htpasswd", line);
      if ((node = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (secret),
                                                         error))
          == NULL)
        return NULL;
      g_ptr_array_add (objects, node);
    }
  if (self->tls_secret != NULL)
    {
      hero_virt_kube_workload_builder_env (w, "REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/tls.crt");
      hero_virt_kube_workload_builder_env (w, "REGISTRY_HTTP_TLS_KEY", "/certs/tls.key");
      hero_virt_kube_workload_builder_volume_secret (w, "certs", self->tls_secret, "/certs");
    }
  if ((node = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (d), error))
      == NULL)
    return NULL;
  g_ptr_array_add (objects, node);

  s = hero_virt_service_builder_new (self->app.manager, self->app.name);
  hero_virt_service_builder_port_full (s, "registry", REGISTRY_PORT, REGISTRY_PORT, NULL,
                                       self->cluster_ip ? 0 : self->node_port);
  hero_virt_service_builder_service_type (s, self->cluster_ip ? "ClusterIP" : "NodePort");
  if ((node = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (s), error))
      == NULL)
    return NULL;
  g_ptr_array_add (objects, node);
  return g_steal_pointer (&objects);
}

static gboolean
accept_any_certificate (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors)
{
  /* the probe sends no credentials: it only asks whether a registry
   * answers, whatever certificate it has */
  return TRUE;
}

/* One /v2/ probe over HTTP(S) from here: TRUE if a registry answered. */
static gboolean
probe_http (HeroVirtRegistryDeployer *self, SoupSession *session, char **why)
{
  g_autofree char *url
      = g_strdup_printf ("%s://%s/v2/", self->tls_secret ? "https" : "http", self->endpoint);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  guint status;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    {
      g_free (*why);
      *why = g_strdup_printf ("%s: %s", url, error->message);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  if ((status == 200 || status == 401)
      && soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                       "Docker-Distribution-Api-Version")
             != NULL)
    return TRUE;
  g_free (*why);
  *why = g_strdup_printf ("%s answered HTTP %u, not a registry", url, status);
  return FALSE;
}

/* One /v2/ probe from inside the registry's pod (ClusterIP). */
static gboolean
probe_exec (HeroVirtRegistryDeployer *self, GCancellable *cancellable, char **why)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterListOptions) options = hero_virt_cluster_list_options_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *selector = g_strdup_printf ("app=%s", self->app.name);
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%d/v2/",
                                          self->tls_secret ? "https" : "http", REGISTRY_PORT);
  const char *argv[] = { "wget", "-S", "--spider", "-T", "2", "--no-check-certificate", url, NULL };
  g_autofree char *out = NULL;

  hero_virt_cluster_list_options_set_label_selector (options, selector);
  list = hero_virt_kubernetes_manager_list (self->app.manager, kind, options, cancellable, &error);
  items = list ? hero_virt_kube_list_get_items (list) : NULL;
  if (items != NULL && items->len > 0)
    result = hero_virt_cluster_provider_exec (
        hero_virt_kubernetes_manager_get_provider (self->app.manager), NULL,
        hero_virt_kubernetes_manager_get_namespace (self->app.manager),
        hero_virt_kube_resource_get_name (g_ptr_array_index (items, 0)), "registry", argv, NULL,
        cancellable, &error);
  if (result == NULL)
    {
      g_free (*why);
      *why = g_strdup_printf ("wget %s in the registry's pod: %s", url,
                              error ? error->message : "no pod");
      return FALSE;
    }
  out = g_ascii_strdown (hero_virt_command_result_get_stderr_text (result), -1);
  if (strstr (out, "docker-distribution-api-version") != NULL)
    return TRUE;
  g_free (*why);
  *why = g_strdup_printf ("wget %s in the registry's pod exited with %d", url,
                          hero_virt_command_result_get_exit_status (result));
  return FALSE;
}

/**
 * hero_virt_registry_deployer_deploy:
 * @self: a #HeroVirtRegistryDeployer
 * @timeout_ms: how long the whole deployment may take, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Applies the objects of [method@HeroVirt.RegistryDeployer.build]
 * (server-side, so deploying again updates them), waits until the
 * registry's pods are ready and until it answers `/v2/`. Bad settings are
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT before any request; running out of
 * time is %HERO_VIRT_ERROR_TIMEOUT naming the pod and its last condition,
 * or the last answer of `/v2/`.
 *
 * Returns: %TRUE once the registry answers
 *
 * Since: 0.1
 */
typedef struct
{
  HeroVirtRegistryDeployer *self;
  SoupSession              *session; /* NULL for a ClusterIP service */
} Probe;

static gboolean
probe (gpointer data, GCancellable *cancellable, char **why, GError **error)
{
  Probe *p = data;

  return p->session ? probe_http (p->self, p->session, why)
                    : probe_exec (p->self, cancellable, why);
}

gboolean
hero_virt_registry_deployer_deploy (HeroVirtRegistryDeployer *self,
                                    guint                     timeout_ms,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (JsonNode) service = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autofree char *what = NULL;
  Probe            p;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), FALSE);

  if ((objects = hero_virt_registry_deployer_build (self, cancellable, error)) == NULL
      || (service = _hero_virt_kube_app_apply (&self->app, objects, cancellable, error)) == NULL
      || !_hero_virt_kube_app_wait_ready (&self->app, "app", deadline, timeout_ms, cancellable,
                                          error))
    return FALSE;

  g_clear_pointer (&self->endpoint, g_free);
  if (self->cluster_ip)
    self->endpoint = g_strdup_printf (
        "%s.%s.svc:%d", self->app.name,
        hero_virt_kubernetes_manager_get_namespace (self->app.manager)
            ?: hero_virt_kube_resource_get_namespace (service) ?: "default",
        REGISTRY_PORT);
  else
    {
      g_autofree char *host = NULL;
      guint            node_port;

      if (!_hero_virt_kube_app_node_endpoint (&self->app, service, self->endpoint_host, "app",
                                              &host, &node_port, cancellable, error))
        return FALSE;
      self->endpoint = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]:%u", host, node_port)
                                                  : g_strdup_printf ("%s:%u", host, node_port);
      session = soup_session_new_with_options ("timeout", 3, NULL);
    }
  p.self = self;
  p.session = session;
  what = g_strdup_printf ("Registry “%s” did not answer /v2/", self->app.name);
  return _hero_virt_kube_app_poll (&self->app, probe, &p, deadline, timeout_ms, what, cancellable,
                                   error);
}

/**
 * hero_virt_registry_deployer_deploy_async:
 * @self: a #HeroVirtRegistryDeployer
 * @timeout_ms: how long the whole deployment may take
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.RegistryDeployer.deploy] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_registry_deployer_deploy_async (HeroVirtRegistryDeployer *self,
                                          guint                     timeout_ms,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self));
  _hero_virt_kube_app_run_timed_async (self, hero_virt_registry_deployer_deploy_async,
                                       (HeroVirtKubeAppTimedFunc)hero_virt_registry_deployer_deploy,
                                       timeout_ms, cancellable, callback, user_data);
}

/**
 * hero_virt_registry_deployer_deploy_finish:
 * @self: a #HeroVirtRegistryDeployer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.RegistryDeployer.deploy_async].
 *
 * Returns: %TRUE once the registry answers
 *
 * Since: 0.1
 */
gboolean
hero_virt_registry_deployer_deploy_finish (HeroVirtRegistryDeployer *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  return _hero_virt_kube_app_run_finish (self, result, hero_virt_registry_deployer_deploy_async,
                                         error);
}

/**
 * hero_virt_registry_deployer_remove:
 * @self: a #HeroVirtRegistryDeployer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes the registry's Service, Deployment (its pods go after it) and
 * htpasswd Secret. What is already gone is not an error; a TLS secret or
 * persistent volume claim it was given is left alone.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_registry_deployer_remove (HeroVirtRegistryDeployer *self,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  g_autofree char *secret = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), FALSE);
  if (!hero_virt_kube_validate_dns1035_label (self->app.name, error))
    return FALSE;
  secret = auth_secret_name (self);
  g_clear_pointer (&self->endpoint, g_free);
  {
    const HeroVirtKubeAppObject objects[] = { { "v1", "Service", self->app.name },
                                              { "apps/v1", "Deployment", self->app.name },
                                              { "v1", "Secret", secret } };

    return _hero_virt_kube_app_remove (&self->app, objects, G_N_ELEMENTS (objects), cancellable,
                                       error);
  }
}

/**
 * hero_virt_registry_deployer_get_name:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Returns: the registry's name
 *
 * Since: 0.1
 */
const char *
hero_virt_registry_deployer_get_name (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  return self->app.name;
}

/**
 * hero_virt_registry_deployer_get_endpoint:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Returns: (nullable): `host:port` to push to and pull from (image
 *   references `host:port/name:tag`), once deployed
 *
 * Since: 0.1
 */
const char *
hero_virt_registry_deployer_get_endpoint (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  return self->endpoint;
}

/**
 * hero_virt_registry_deployer_get_username:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Returns: (nullable): the user, or %NULL without authentication
 *
 * Since: 0.1
 */
const char *
hero_virt_registry_deployer_get_username (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  return self->username;
}

/**
 * hero_virt_registry_deployer_get_password:
 * @self: a #HeroVirtRegistryDeployer
 *
 * Returns: (nullable): the password (given or generated), or %NULL
 *   without authentication
 *
 * Since: 0.1
 */
const char *
hero_virt_registry_deployer_get_password (HeroVirtRegistryDeployer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY_DEPLOYER (self), NULL);
  return self->password;
}
