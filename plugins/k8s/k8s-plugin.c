/* k8s-plugin.c: libherovirt-k8s, the "k8s" cluster provider: the
 * Kubernetes REST API over libsoup 3, configured from kubeconfig or the
 * in-cluster service account, no kubectl
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-K8s"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "k8s-config.h"
#include "k8s-http.h"
#include "k8s-json.h"
#include "k8s-stream.h"
#include "k8s-ws-io.h"

#define HERO_VIRT_TYPE_K8S_PROVIDER (hero_virt_k8s_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtK8sProvider, hero_virt_k8s_provider, HERO_VIRT, K8S_PROVIDER, GObject)

struct _HeroVirtK8sProvider
{
  GObject parent_instance;

  char                     *kubeconfig;
  char                     *context;
  HeroVirtKubernetesConfig *config;

  GMutex              lock; /* everything below */
  gboolean            ready;
  K8sConnInfo        *info;
  SoupSession        *session;
  SoupSession        *watch_session;
  K8sHttp            *http; /* the REST requests' own client, or NULL: libsoup */
  GPtrArray          *cas;  /* GTlsCertificate, or NULL: the system's */
  GSocketConnectable *identity;
  GTlsCertificate    *client_cert;

  /* token bucket */
  double tokens;
  gint64 refilled;

  /* tokenFile, re-read when it changes (service account tokens rotate) */
  char  *file_token;
  gint64 file_mtime;
  gint64 file_size;

  /* exec credential plugin cache */
  char            *exec_token;
  GTlsCertificate *exec_cert;
  gint64           exec_expiry; /* monotonic µs; G_MAXINT64: never */
  guint            exec_runs;
};

enum
{
  PROP_0,
  PROP_KUBECONFIG,
  PROP_CONTEXT,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void hero_virt_k8s_provider_iface_init (HeroVirtClusterProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (HeroVirtK8sProvider,
                                hero_virt_k8s_provider,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_CLUSTER_PROVIDER,
                                                               hero_virt_k8s_provider_iface_init))

/* ---- discovery cache, shared by every provider, per server ----------- */

G_LOCK_DEFINE_STATIC (discovery);
static GHashTable *discovery_cache; /* server -> (apiVersion\nKind -> ClusterKind) */

static HeroVirtClusterKind *
discovery_lookup (const char *server, const char *api_version, const char *kind)
{
  g_autofree char     *key = g_strdup_printf ("%s\n%s", api_version, kind);
  HeroVirtClusterKind *found = NULL;
  GHashTable          *kinds;

  G_LOCK (discovery);
  kinds = discovery_cache ? g_hash_table_lookup (discovery_cache, server) : NULL;
  if (kinds != NULL)
    found = g_hash_table_lookup (kinds, key);
  if (found != NULL)
    g_object_ref (found);
  G_UNLOCK (discovery);
  return found;
}

static void
discovery_store (const char *server, HeroVirtClusterKind *k)
{
  g_autofree char *api_version = hero_virt_cluster_kind_get_api_version (k);
  GHashTable      *kinds;

  G_LOCK (discovery);
  if (discovery_cache == NULL)
    discovery_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)g_hash_table_unref);
  kinds = g_hash_table_lookup (discovery_cache, server);
  if (kinds == NULL)
    {
      kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_hash_table_insert (discovery_cache, g_strdup (server), kinds);
    }
  g_hash_table_replace (
      kinds, g_strdup_printf ("%s\n%s", api_version, hero_virt_cluster_kind_get_kind (k)),
      g_object_ref (k));
  G_UNLOCK (discovery);
}

/* ---- connection set-up ------------------------------------------------ */

/* The CA bundle, one certificate per PEM block. GIO's trust stores
 * read files only (and lazily), so the chain is checked by hand in
 * accept-certificate against these. */
static GPtrArray *
cas_from_pem (const char *pem, GError **error)
{
  g_autoptr (GPtrArray) cas = g_ptr_array_new_with_free_func (g_object_unref);
  const char       *p = pem;
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end[] = "-----END CERTIFICATE-----";

  while ((p = strstr (p, begin)) != NULL)
    {
      const char *e = strstr (p, end);
      g_autoptr (GError) local_error = NULL;
      GTlsCertificate *c;

      if (e == NULL)
        break;
      e += strlen (end);
      c = g_tls_certificate_new_from_pem (p, e - p, &local_error);
      if (c == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The kubeconfig's certificate authority is not a valid PEM certificate: %s",
                       local_error->message);
          return NULL;
        }
      g_ptr_array_add (cas, c);
      p = e;
    }
  if (cas->len == 0)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "The kubeconfig's certificate authority holds no PEM certificate");
      return NULL;
    }
  return g_steal_pointer (&cas);
}

static GTlsCertificate *
certificate_from_pem (const char *cert, const char *key, GError **error)
{
  g_autofree char *both = g_strconcat (cert, "\n", key, NULL);
  g_autoptr (GError) local_error = NULL;
  GTlsCertificate *c = g_tls_certificate_new_from_pem (both, -1, &local_error);

  memset (both, 0, strlen (both));
  if (c == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                 "The client certificate or key is not valid PEM: %s", local_error->message);
  return c;
}

static guint
timeout_seconds (HeroVirtK8sProvider *self)
{
  guint ms = hero_virt_kubernetes_config_get_operation_timeout_ms (self->config);

  return ms == 0 ? 0 : MAX (1, (ms + 999) / 1000);
}

static gboolean accept_certificate (SoupMessage         *msg,
                                    GTlsCertificate     *cert,
                                    GTlsCertificateFlags errors,
                                    gpointer             user_data);

static gboolean
http_accept (GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer user_data)
{
  return accept_certificate (NULL, cert, errors, user_data);
}

/* The REST requests go through k8s-http.c when libsoup would add nothing:
 * HTTPS without a proxy, and a certificate check that accept_certificate
 * makes alone (the kubeconfig's CA, or none at all). */
static K8sHttp *
http_client_new (HeroVirtK8sProvider *self)
{
  g_autoptr (GUri) uri = g_uri_parse (self->info->server, G_URI_FLAGS_NONE, NULL);
  g_auto (GStrv) proxies = NULL;

  if ((self->cas == NULL && !self->info->insecure) || uri == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
      || g_getenv ("HERO_VIRT_K8S_LIBSOUP") != NULL)
    return NULL;
  proxies
      = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), self->info->server, NULL, NULL);
  if (proxies == NULL || proxies[0] == NULL || proxies[1] != NULL
      || strcmp (proxies[0], "direct://") != 0)
    return NULL;
  return k8s_http_new (g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443,
                       self->identity, self->client_cert, timeout_seconds (self), http_accept,
                       self);
}

/* Takes the lock. */
static gboolean
ensure_ready (HeroVirtK8sProvider *self, GError **error)
{
  g_autoptr (K8sConnInfo) info = NULL;
  g_autoptr (GPtrArray) cas = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = self->ready;
  g_mutex_unlock (&self->lock);
  if (ok)
    return TRUE;

  info = k8s_conn_info_load (self->kubeconfig, self->context,
                             hero_virt_kubernetes_config_get_allow_insecure_http (self->config),
                             error);
  if (info == NULL)
    return FALSE;
  if (info->ca_pem != NULL && !info->insecure && (cas = cas_from_pem (info->ca_pem, error)) == NULL)
    return FALSE;
  if (info->cert_pem != NULL
      && (cert = certificate_from_pem (info->cert_pem, info->key_pem, error)) == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!self->ready)
    {
      self->info = g_steal_pointer (&info);
      self->cas = g_steal_pointer (&cas);
      {
        g_autoptr (GUri) uri = g_uri_parse (self->info->server, G_URI_FLAGS_NONE, NULL);

        self->identity = g_network_address_new (
            self->info->tls_server_name ? self->info->tls_server_name : g_uri_get_host (uri),
            g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
      }
      self->client_cert = g_steal_pointer (&cert);
      self->session = soup_session_new_with_options (
          "timeout", timeout_seconds (self), "idle-timeout", 90, "max-conns-per-host", 16,
          "user-agent", "hero-virt/" PACKAGE_VERSION_K8S, NULL);
      /* Each watch and followed log holds one connection for as long as it
       * runs (they are not multiplexed: see network_event()), so libsoup's
       * default of two per host would make a third wait for one of them to
       * end. Like Go's client, which kubectl uses, set no practical limit. */
      self->watch_session = soup_session_new_with_options (
          "timeout", 0, "idle-timeout", 0, "max-conns", 4096, "max-conns-per-host", 4096,
          "user-agent", "hero-virt/" PACKAGE_VERSION_K8S, NULL);
      /* With the kubeconfig's CA (or no checks at all) accept_certificate
       * alone decides, as kubectl trusts only that CA: no system store,
       * which GnuTLS would load and parse again for every new connection
       * (about 15 ms of CPU, and every exec is a new connection). */
      if (self->cas != NULL || self->info->insecure)
        {
          soup_session_set_tls_database (self->session, NULL);
          soup_session_set_tls_database (self->watch_session, NULL);
        }
      self->http = http_client_new (self);
      self->tokens = hero_virt_kubernetes_config_get_rate_limit_burst (self->config);
      self->refilled = g_get_monotonic_time ();
      self->ready = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static const char *
default_namespace (HeroVirtK8sProvider *self)
{
  return self->info->namespace ? self->info->namespace : "default";
}

/* ---- rate limit ------------------------------------------------------- */

static gboolean
cancellable_sleep (guint64 us, GCancellable *cancellable, GError **error)
{
  gint64 end = g_get_monotonic_time () + (gint64)us;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (now >= end)
        return TRUE;
      g_usleep (MIN (end - now, 20000));
    }
}

static gboolean
rate_limit (HeroVirtK8sProvider *self, GCancellable *cancellable, GError **error)
{
  double rps = hero_virt_kubernetes_config_get_rate_limit_rps (self->config);
  double burst = hero_virt_kubernetes_config_get_rate_limit_burst (self->config);

  if (rps <= 0)
    return TRUE;
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      double wait_us;

      g_mutex_lock (&self->lock);
      self->tokens = MIN (burst, self->tokens + (now - self->refilled) * rps / G_USEC_PER_SEC);
      self->refilled = now;
      if (self->tokens >= 1)
        {
          self->tokens -= 1;
          g_mutex_unlock (&self->lock);
          return TRUE;
        }
      wait_us = (1 - self->tokens) * G_USEC_PER_SEC / rps;
      g_mutex_unlock (&self->lock);
      if (!cancellable_sleep ((guint64)wait_us + 1, cancellable, error))
        return FALSE;
    }
}

/* ---- credentials ------------------------------------------------------ */

static gint64
parse_expiry (const char *timestamp)
{
  g_autoptr (GDateTime) when = timestamp ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (when == NULL)
    return G_MAXINT64;
  return g_get_monotonic_time () + g_date_time_difference (when, now);
}

static gboolean
run_exec_plugin (HeroVirtK8sProvider *self, GCancellable *cancellable, GError **error)
{
  K8sConnInfo *info = self->info;
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                   | G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) exec_info = NULL;
  g_autofree char *exec_info_str = NULL;
  g_autoptr (JsonNode) credential = NULL;
  JsonObject *root, *status;
  const char *token, *cert, *key;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "apiVersion");
  json_builder_add_string_value (b, info->exec_api_version);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "ExecCredential");
  json_builder_set_member_name (b, "spec");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "interactive");
  json_builder_add_boolean_value (b, FALSE);
  if (info->exec_provide_cluster_info)
    {
      json_builder_set_member_name (b, "cluster");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "server");
      json_builder_add_string_value (b, info->server);
      if (info->tls_server_name)
        {
          json_builder_set_member_name (b, "tls-server-name");
          json_builder_add_string_value (b, info->tls_server_name);
        }
      json_builder_set_member_name (b, "insecure-skip-tls-verify");
      json_builder_add_boolean_value (b, info->insecure);
      if (info->ca_pem)
        {
          g_autofree char *b64
              = g_base64_encode ((const guchar *)info->ca_pem, strlen (info->ca_pem));

          json_builder_set_member_name (b, "certificate-authority-data");
          json_builder_add_string_value (b, b64);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  exec_info = json_builder_get_root (b);
  exec_info_str = json_to_string (exec_info, FALSE);

  for (guint i = 0; info->exec_env && info->exec_env[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (info->exec_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "KUBERNETES_EXEC_INFO", exec_info_str, TRUE);
  proc
      = g_subprocess_launcher_spawnv (launcher, (const char *const *)info->exec_argv, &local_error);
  if (proc == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "The exec credential plugin %s could not start: %s", info->exec_argv[0],
                   local_error->message);
      return FALSE;
    }
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, &out, &err, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->exec_runs++;
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "The exec credential plugin %s failed (exit %d)%s%s", info->exec_argv[0],
                   g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1,
                   err && *err ? ": " : "", err ? g_strstrip (err) : "");
      return FALSE;
    }
  credential = hero_virt_json_parse_untrusted ((const guint8 *)(out ? out : ""),
                                               out ? strlen (out) : 0, 0, 0, NULL);
  if (credential == NULL || !JSON_NODE_HOLDS_OBJECT (credential))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "The exec credential plugin %s did not print an ExecCredential",
                   info->exec_argv[0]);
      return FALSE;
    }
  root = json_node_get_object (credential);
  status = json_object_has_member (root, "status")
                   && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "status"))
               ? json_object_get_object_member (root, "status")
               : NULL;
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "apiVersion", NULL),
                 info->exec_api_version)
          != 0
      || status == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "The exec credential plugin %s printed no status of apiVersion %s",
                   info->exec_argv[0], info->exec_api_version);
      return FALSE;
    }
  token = json_object_get_string_member_with_default (status, "token", NULL);
  cert = json_object_get_string_member_with_default (status, "clientCertificateData", NULL);
  key = json_object_get_string_member_with_default (status, "clientKeyData", NULL);
  g_clear_pointer (&self->exec_token, g_free);
  g_clear_object (&self->exec_cert);
  if (cert != NULL && key != NULL)
    {
      self->exec_cert = certificate_from_pem (cert, key, error);
      if (self->exec_cert == NULL)
        return FALSE;
    }
  else if (token != NULL && *token)
    self->exec_token = g_strdup (token);
  else
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "The exec credential plugin %s gave neither a token nor a client certificate",
                   info->exec_argv[0]);
      return FALSE;
    }
  self->exec_expiry = parse_expiry (
      json_object_get_string_member_with_default (status, "expirationTimestamp", NULL));
  return TRUE;
}

typedef struct
{
  char            *authorization; /* header value, or NULL */
  GTlsCertificate *cert;
} Creds;

static void
creds_clear (Creds *c)
{
  if (c->authorization)
    memset (c->authorization, 0, strlen (c->authorization));
  g_clear_pointer (&c->authorization, g_free);
  g_clear_object (&c->cert);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Creds, creds_clear)

static gboolean
get_creds (HeroVirtK8sProvider *self,
           gboolean             refresh,
           Creds               *c,
           GCancellable        *cancellable,
           GError             **error)
{
  K8sConnInfo *info = self->info;
  gboolean     ok = TRUE;

  g_mutex_lock (&self->lock);
  if (self->client_cert)
    c->cert = g_object_ref (self->client_cert);
  if (info->exec_argv != NULL)
    {
      if (refresh || (self->exec_token == NULL && self->exec_cert == NULL)
          || g_get_monotonic_time () >= self->exec_expiry)
        ok = run_exec_plugin (self, cancellable, error);
      if (ok && self->exec_token)
        c->authorization = g_strdup_printf ("Bearer %s", self->exec_token);
      if (ok && self->exec_cert)
        g_set_object (&c->cert, self->exec_cert);
    }
  else if (info->token != NULL)
    c->authorization = g_strdup_printf ("Bearer %s", info->token);
  else if (info->token_file != NULL)
    {
      GStatBuf st;

      if (g_stat (info->token_file, &st) != 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH, "The token file %s is gone",
                       info->token_file);
          ok = FALSE;
        }
      else
        {
          gint64 mtime = (gint64)st.st_mtime * G_USEC_PER_SEC;
#ifdef HAVE_ST_MTIM
          mtime += st.st_mtim.tv_nsec / 1000;
#endif
          if (refresh || self->file_token == NULL || mtime != self->file_mtime
              || (gint64)st.st_size != self->file_size)
            {
              g_autofree char *text = NULL;

              if (!g_file_get_contents (info->token_file, &text, NULL, NULL))
                {
                  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                               "The token file %s cannot be read", info->token_file);
                  ok = FALSE;
                }
              else
                {
                  g_free (self->file_token);
                  self->file_token = g_strdup (g_strstrip (text));
                  memset (text, 0, strlen (text));
                  self->file_mtime = mtime;
                  self->file_size = st.st_size;
                }
            }
          if (ok)
            c->authorization = g_strdup_printf ("Bearer %s", self->file_token);
        }
    }
  else if (info->username != NULL && info->password != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", info->username, info->password);
      g_autofree char *b64 = g_base64_encode ((const guchar *)pair, strlen (pair));

      memset (pair, 0, strlen (pair));
      c->authorization = g_strdup_printf ("Basic %s", b64);
      memset (b64, 0, strlen (b64));
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/* ---- requests --------------------------------------------------------- */

static gboolean
accept_certificate (SoupMessage         *msg,
                    GTlsCertificate     *cert,
                    GTlsCertificateFlags errors,
                    gpointer             user_data)
{
  HeroVirtK8sProvider *self = user_data;

  if (self->info->insecure)
    return TRUE;
  if (self->cas != NULL)
    {
      for (guint i = 0; i < self->cas->len; i++)
        {
          G_GNUC_BEGIN_IGNORE_DEPRECATIONS
          GTlsCertificateFlags flags
              = g_tls_certificate_verify (cert, self->identity, g_ptr_array_index (self->cas, i));
          G_GNUC_END_IGNORE_DEPRECATIONS

          if (flags == 0)
            return TRUE;
        }
      return FALSE;
    }
  if (self->info->tls_server_name != NULL)
    {
      /* the system's trust, but checked against tls-server-name */
      GTlsDatabase        *db = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      GTlsCertificateFlags flags = g_tls_database_verify_chain (
          db, cert, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, self->identity, NULL,
          G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);

      g_object_unref (db);
      return flags == 0;
    }
  return FALSE;
}

static void
network_event (SoupMessage       *msg,
               GSocketClientEvent event,
               GIOStream         *connection,
               gpointer           user_data)
{
  /* Headers and body go out in separate writes: without TCP_NODELAY,
   * Nagle's algorithm and delayed ACKs add tens of ms to every POST. */
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));

      if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
        g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
    }
  /* A watch's or a followed log's body is read in another thread than the
   * one that sent it (the watch thread, or whichever the caller reads the
   * stream in). libsoup ties an HTTP/2 connection to the thread that made
   * it, and a second stream on it from another thread fails with
   * G_IO_ERROR_PENDING, so these offer HTTP/1.1 only: each gets a
   * connection of its own, as on a server without HTTP/2. */
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && user_data != NULL
           && G_IS_TLS_CONNECTION (connection))
    {
      static const char *const http1[] = { "http/1.1", NULL };

      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);
    }
}

static gboolean
request_certificate (SoupMessage *msg, GTlsClientConnection *connection, gpointer certificate)
{
  soup_message_set_tls_client_certificate (msg, certificate);
  return TRUE;
}

static void
unref_certificate (gpointer certificate, GClosure *closure)
{
  g_object_unref (certificate);
}

static gboolean
is_idempotent (const char *method, const char *content_type)
{
  if (strcmp (method, "GET") == 0 || strcmp (method, "PUT") == 0 || strcmp (method, "DELETE") == 0
      || strcmp (method, "HEAD") == 0)
    return TRUE;
  /* A server-side apply gives the same result however often it is sent. */
  return strcmp (method, "PATCH") == 0
         && g_strcmp0 (content_type, "application/apply-patch+yaml") == 0;
}

static guint64
backoff_us (HeroVirtK8sProvider *self, guint attempt)
{
  guint64 base = hero_virt_kubernetes_config_get_retry_base_delay_ms (self->config) * (guint64)1000;
  guint64 max = hero_virt_kubernetes_config_get_retry_max_delay_ms (self->config) * (guint64)1000;
  guint64 d = base << MIN (attempt, 20);

  d = MIN (d, max);
  /* jitter: 50% to 100% of the delay */
  return d / 2 + (d > 1 ? g_random_int_range (0, (gint32)MIN (d / 2 + 1, G_MAXINT32)) : 0);
}

static gboolean
retryable_io_error (const GError *e)
{
  if (e->domain == G_IO_ERROR)
    return e->code == G_IO_ERROR_CONNECTION_CLOSED || e->code == G_IO_ERROR_BROKEN_PIPE
           || e->code == G_IO_ERROR_CONNECTION_REFUSED || e->code == G_IO_ERROR_TIMED_OUT
           || e->code == G_IO_ERROR_PARTIAL_INPUT || e->code == G_IO_ERROR_NOT_CONNECTED
           || e->code == G_IO_ERROR_HOST_UNREACHABLE;
  if (e->domain == G_TLS_ERROR)
    return e->code == G_TLS_ERROR_EOF;
  if (e->domain == SOUP_SESSION_ERROR)
    return e->code == SOUP_SESSION_ERROR_PARSING || e->code == SOUP_SESSION_ERROR_ENCODING;
  return FALSE;
}

static void
set_io_error (GError **error, HeroVirtK8sProvider *self, const GError *e)
{
  HeroVirtError code = HERO_VIRT_ERROR_NETWORK;

  if (e->domain == G_IO_ERROR && e->code == G_IO_ERROR_CANCELLED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, e->message);
      return;
    }
  if (e->domain == G_IO_ERROR && e->code == G_IO_ERROR_TIMED_OUT)
    code = HERO_VIRT_ERROR_TIMEOUT;
  else if (e->domain == G_IO_ERROR && e->code == G_IO_ERROR_CONNECTION_REFUSED)
    code = HERO_VIRT_ERROR_UNAVAILABLE;
  else if (e->domain == G_TLS_ERROR && e->code == G_TLS_ERROR_BAD_CERTIFICATE)
    code = HERO_VIRT_ERROR_HOST_KEY;
  g_set_error (error, HERO_VIRT_ERROR, code, "The API server %s: %s", self->info->server,
               e->message);
}

typedef struct
{
  const char *method;
  const char *path;
  const char *query; /* already escaped, or NULL */
  const char *content_type;
  GBytes     *body;
  gboolean    stream; /* for watches: return the stream after the headers */
} Request;

/* Sends @req with rate limit, credentials and retries. Returns the body
 * (or, when streaming, sets @stream_out); @status_out gets the HTTP status. */
static GBytes *
send_request (HeroVirtK8sProvider *self,
              const Request       *req,
              guint               *status_out,
              GInputStream       **stream_out,
              SoupMessage        **msg_out,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autofree char *url = g_strconcat (self->info->server, req->path, req->query ? "?" : "",
                                      req->query ? req->query : "", NULL);
  gboolean         idempotent = is_idempotent (req->method, req->content_type);
  guint            max_retries = hero_virt_kubernetes_config_get_max_retries (self->config);
  gboolean         refreshed = FALSE;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (SoupMessage) msg = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GBytes) body = NULL;
      g_autoptr (GInputStream) stream = NULL;
      g_auto (Creds) creds = { 0 };
      g_autofree char    *retry_after = NULL;
      SoupMessageHeaders *headers;
      guint               status = 0;
      guint64             delay;

      if (!rate_limit (self, cancellable, error))
        return NULL;
      if (!get_creds (self, FALSE, &creds, cancellable, error))
        return NULL;
      if (self->http != NULL && !req->stream && msg_out == NULL
          && creds.cert == k8s_http_get_client_certificate (self->http))
        {
          /* url without the server: the request target */
          body = k8s_http_request (self->http, req->method, url + strlen (self->info->server),
                                   creds.authorization, req->content_type, req->body, idempotent,
                                   &status, &retry_after, cancellable, &local_error);
          goto answered;
        }
      msg = soup_message_new ("GET", url);
      if (msg == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Not a valid request path: %s", req->path);
          return NULL;
        }
      soup_message_set_method (msg, req->method);
      /* libsoup opens a new connection for every POST (and PATCH) unless
       * told it may reuse an idle one: a TLS handshake per create. It
       * still never resends these by itself on a dropped connection, and
       * neither does the retry loop below. */
      if (!req->stream)
        soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
      headers = soup_message_get_request_headers (msg);
      soup_message_headers_replace (headers, "Accept", "application/json");
      if (creds.authorization)
        soup_message_headers_replace (headers, "Authorization", creds.authorization);
      if (creds.cert)
        {
          soup_message_set_tls_client_certificate (msg, creds.cert);
          /* libsoup hands the certificate to the first connection only: a
           * GET it resends itself on a new one (the kept-alive one was
           * closed) would go out anonymous. */
          g_signal_connect_data (msg, "request-certificate", G_CALLBACK (request_certificate),
                                 g_object_ref (creds.cert), unref_certificate, 0);
        }
      if (req->body)
        soup_message_set_request_body_from_bytes (
            msg, req->content_type ? req->content_type : "application/json", req->body);
      g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate), self);
      g_signal_connect (msg, "network-event", G_CALLBACK (network_event),
                        req->stream ? GINT_TO_POINTER (1) : NULL);

      if (req->stream)
        {
          stream = soup_session_send (self->watch_session, msg, cancellable, &local_error);
          if (stream != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
            {
              *status_out = soup_message_get_status (msg);
              *stream_out = g_steal_pointer (&stream);
              if (msg_out)
                *msg_out = g_steal_pointer (&msg);
              return g_bytes_new (NULL, 0);
            }
          if (stream != NULL)
            {
              g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();

              if (g_output_stream_splice (mem, stream,
                                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                                              | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                          cancellable, &local_error)
                  >= 0)
                body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
            }
        }
      else
        body = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
      if (body != NULL)
        {
          status = soup_message_get_status (msg);
          retry_after = g_strdup (soup_message_headers_get_one (
              soup_message_get_response_headers (msg), "Retry-After"));
        }

    answered:
      if (body == NULL)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_cancellable_set_error_if_cancelled (cancellable, error);
              return NULL;
            }
          if (idempotent && attempt < max_retries && retryable_io_error (local_error))
            {
              g_debug ("%s %s: %s; retrying", req->method, req->path, local_error->message);
              if (!cancellable_sleep (backoff_us (self, attempt), cancellable, error))
                return NULL;
              continue;
            }
          set_io_error (error, self, local_error);
          return NULL;
        }
      if (status == 401 && !refreshed && self->info->exec_argv != NULL)
        {
          /* The plugin's credential expired early: run it again, once. */
          g_auto (Creds) fresh = { 0 };

          refreshed = TRUE;
          if (!get_creds (self, TRUE, &fresh, cancellable, error))
            return NULL;
          attempt--;
          continue;
        }
      if (idempotent && attempt < max_retries
          && (status == 429 || (status >= 500 && status != 501)))
        {
          guint64 max_us
              = hero_virt_kubernetes_config_get_retry_max_delay_ms (self->config) * (guint64)1000;

          delay = backoff_us (self, attempt);
          if (status == 429 && retry_after != NULL)
            {
              guint64 seconds = g_ascii_strtoull (retry_after, NULL, 10);

              delay = MIN (seconds * G_USEC_PER_SEC, MAX (max_us, G_USEC_PER_SEC));
            }
          g_debug ("%s %s: HTTP %u; retrying", req->method, req->path, status);
          if (!cancellable_sleep (delay, cancellable, error))
            return NULL;
          continue;
        }
      *status_out = status;
      if (msg_out)
        *msg_out = g_steal_pointer (&msg);
      return g_steal_pointer (&body);
    }
}

static JsonNode *
parse_json (GBytes *body, GError **error)
{
  gsize       len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autoptr (GError) local_error = NULL;
  JsonNode *node;

  if (len == 0)
    return NULL;
  node = k8s_json_parse (data, len, &local_error);
  if (node == NULL)
    g_set_error (error, HERO_VIRT_ERROR, local_error->code,
                 "The API server's answer is not JSON: %s", local_error->message);
  return node;
}

/* A JSON request; a failed status becomes the HeroVirt error. */
static JsonNode *
request_json (HeroVirtK8sProvider *self,
              const char          *method,
              const char          *path,
              const char          *query,
              const char          *content_type,
              JsonNode            *body,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) in = NULL;
  g_autoptr (JsonNode) node = NULL;
  Request req = { method, path, query, content_type, NULL, FALSE };
  guint   status = 0;

  if (!ensure_ready (self, error))
    return NULL;
  if (body != NULL)
    {
      gsize len = 0;
      char *text = json_to_string (body, FALSE);

      len = strlen (text);
      out = g_bytes_new_take (text, len);
      req.body = out;
    }
  in = send_request (self, &req, &status, NULL, NULL, cancellable, error);
  if (in == NULL)
    return NULL;
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      node = parse_json (in, error);
      if (node == NULL && (error == NULL || *error == NULL))
        {
          node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (node, json_object_new ());
        }
      return g_steal_pointer (&node);
    }
  node = parse_json (in, NULL);
  hero_virt_kube_set_error_from_status (error, status, node);
  return NULL;
}

static char *
escape (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

static void
query_add (GString *q, const char *key, const char *value)
{
  g_autofree char *v = NULL;

  if (value == NULL)
    return;
  v = escape (value);
  g_string_append_printf (q, "%s%s=%s", q->len ? "&" : "", key, v);
}

/* ---- validation shared by the operations ------------------------------ */

static gboolean
check_scope (HeroVirtK8sProvider *self,
             HeroVirtClusterKind *kind,
             const char **namespace,
             const char *name,
             GError    **error)
{
  if (*namespace != NULL && !hero_virt_kube_validate_dns1123_label (*namespace, error))
    return FALSE;
  if (name != NULL && !hero_virt_cluster_kind_validate_name (kind, name, error))
    return FALSE;
  if (!hero_virt_cluster_kind_get_namespaced (kind))
    {
      if (*namespace != NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "%s is cluster-scoped: no namespace",
                       hero_virt_cluster_kind_get_kind (kind));
          return FALSE;
        }
      return ensure_ready (self, error);
    }
  if (!ensure_ready (self, error))
    return FALSE;
  if (*namespace == NULL)
    *namespace = default_namespace (self);
  return TRUE;
}

static gboolean
check_resource (HeroVirtClusterKind *kind,
                const char *namespace,
                JsonNode *resource,
                gboolean  need_name,
                GError  **error)
{
  const char *name, *rns;
  JsonObject *meta;

  if (resource == NULL || !JSON_NODE_HOLDS_OBJECT (resource))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "The resource must be a JSON object");
      return FALSE;
    }
  name = hero_virt_kube_resource_get_name (resource);
  rns = hero_virt_kube_resource_get_namespace (resource);
  meta = json_object_has_member (json_node_get_object (resource), "metadata")
                 && JSON_NODE_HOLDS_OBJECT (
                     json_object_get_member (json_node_get_object (resource), "metadata"))
             ? json_object_get_object_member (json_node_get_object (resource), "metadata")
             : NULL;
  if (name == NULL
      && (need_name || meta == NULL
          || json_object_get_string_member_with_default (meta, "generateName", NULL) == NULL))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           need_name ? "The resource has no metadata.name"
                                     : "The resource has neither metadata.name nor generateName");
      return FALSE;
    }
  if (name != NULL && !hero_virt_cluster_kind_validate_name (kind, name, error))
    return FALSE;
  if (rns != NULL && namespace != NULL && strcmp (rns, namespace) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The resource's metadata.namespace \"%s\" is not the namespace \"%s\"", rns,
                   namespace);
      return FALSE;
    }
  return TRUE;
}

/* A copy with apiVersion and kind filled in (create/replace/apply need them). */
static JsonNode *
with_type (HeroVirtClusterKind *kind, JsonNode *resource)
{
  JsonNode        *copy = json_node_copy (resource);
  JsonObject      *o = json_node_get_object (copy);
  g_autofree char *api_version = hero_virt_cluster_kind_get_api_version (kind);

  if (!json_object_has_member (o, "apiVersion"))
    json_object_set_string_member (o, "apiVersion", api_version);
  if (!json_object_has_member (o, "kind"))
    json_object_set_string_member (o, "kind", hero_virt_cluster_kind_get_kind (kind));
  return copy;
}

static char *
kind_path (HeroVirtClusterKind *kind, const char *namespace, const char *name, GError **error)
{
  return hero_virt_cluster_kind_get_path (
      kind, hero_virt_cluster_kind_get_namespaced (kind) ? namespace : NULL, name, error);
}

/* ---- the provider operations ----------------------------------------- */

static gboolean
k8s_is_available (HeroVirtClusterProvider *provider,
                  HeroVirtExecutor        *executor,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  return ensure_ready (HERO_VIRT_K8S_PROVIDER (provider), error);
}

static HeroVirtClusterKind *
k8s_resolve_kind (HeroVirtClusterProvider *provider,
                  HeroVirtExecutor        *executor,
                  const char              *api_version,
                  const char              *kind,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  HeroVirtClusterKind *found;
  g_autofree char     *path = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) parts = NULL;
  JsonArray *resources;

  if (!ensure_ready (self, error))
    return NULL;
  if (api_version == NULL || *api_version == '\0' || kind == NULL || *kind == '\0'
      || strchr (api_version, '?') || strstr (api_version, ".."))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "An apiVersion and a kind are required");
      return NULL;
    }
  found = discovery_lookup (self->info->server, api_version, kind);
  if (found != NULL)
    return found;
  parts = g_strsplit (api_version, "/", -1);
  if (g_strv_length (parts) == 1)
    path = g_strdup_printf ("/api/%s", api_version);
  else if (g_strv_length (parts) == 2)
    path = g_strdup_printf ("/apis/%s/%s", parts[0], parts[1]);
  else
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an apiVersion", api_version);
      return NULL;
    }
  list = request_json (self, "GET", path, NULL, NULL, NULL, cancellable, &local_error);
  if (list == NULL)
    {
      if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                     "The cluster does not serve %s (no kind %s)", api_version, kind);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  resources = JSON_NODE_HOLDS_OBJECT (list)
                      && json_object_has_member (json_node_get_object (list), "resources")
                      && JSON_NODE_HOLDS_ARRAY (
                          json_object_get_member (json_node_get_object (list), "resources"))
                  ? json_object_get_array_member (json_node_get_object (list), "resources")
                  : NULL;
  for (guint i = 0; resources && i < json_array_get_length (resources); i++)
    {
      JsonNode   *r = json_array_get_element (resources, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (r) ? json_node_get_object (r) : NULL;
      const char *name = o ? json_object_get_string_member_with_default (o, "name", NULL) : NULL;
      const char *k = o ? json_object_get_string_member_with_default (o, "kind", NULL) : NULL;
      g_autoptr (HeroVirtClusterKind) ck = NULL;

      if (name == NULL || k == NULL || strchr (name, '/') != NULL)
        continue;
      ck = hero_virt_cluster_kind_new (
          parts[1] ? parts[0] : "", parts[1] ? parts[1] : parts[0], k, name,
          json_object_get_boolean_member_with_default (o, "namespaced", FALSE));
      if (ck != NULL)
        discovery_store (self->info->server, ck);
    }
  found = discovery_lookup (self->info->server, api_version, kind);
  if (found == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                 "The cluster serves %s but no kind %s in it", api_version, kind);
  return found;
}

static JsonNode *
k8s_create (HeroVirtClusterProvider *provider,
            HeroVirtExecutor        *executor,
            HeroVirtClusterKind     *kind,
            const char *namespace,
            JsonNode     *resource,
            GCancellable *cancellable,
            GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (JsonNode) body = NULL;

  if (!check_scope (self, kind, &namespace, NULL, error)
      || !check_resource (kind, namespace, resource, FALSE, error))
    return NULL;
  if ((path = kind_path (kind, namespace, NULL, error)) == NULL)
    return NULL;
  body = with_type (kind, resource);
  return request_json (self, "POST", path, NULL, NULL, body, cancellable, error);
}

static JsonNode *
k8s_get (HeroVirtClusterProvider *provider,
         HeroVirtExecutor        *executor,
         HeroVirtClusterKind     *kind,
         const char *namespace,
         const char   *name,
         GCancellable *cancellable,
         GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;

  if (!check_scope (self, kind, &namespace, name, error))
    return NULL;
  if ((path = kind_path (kind, namespace, name, error)) == NULL)
    return NULL;
  return request_json (self, "GET", path, NULL, NULL, NULL, cancellable, error);
}

static void
list_query (GString *q, HeroVirtClusterListOptions *options, gboolean watch)
{
  if (options == NULL)
    return;
  query_add (q, "labelSelector", hero_virt_cluster_list_options_get_label_selector (options));
  query_add (q, "fieldSelector", hero_virt_cluster_list_options_get_field_selector (options));
  if (hero_virt_cluster_list_options_get_resource_version (options))
    query_add (q, "resourceVersion", hero_virt_cluster_list_options_get_resource_version (options));
  if (watch && hero_virt_cluster_list_options_get_timeout_seconds (options) > 0)
    g_string_append_printf (q, "&timeoutSeconds=%u",
                            hero_virt_cluster_list_options_get_timeout_seconds (options));
}

static JsonNode *
k8s_list (HeroVirtClusterProvider *provider,
          HeroVirtExecutor        *executor,
          HeroVirtClusterKind     *kind,
          const char *namespace,
          HeroVirtClusterListOptions *options,
          GCancellable               *cancellable,
          GError                    **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (JsonNode) result = NULL;
  g_autofree char *cont = NULL;
  guint            limit = options ? hero_virt_cluster_list_options_get_limit (options) : 0;
  gboolean         manual
      = limit > 0 || (options && hero_virt_cluster_list_options_get_continue_token (options));

  if (options != NULL && !hero_virt_cluster_list_options_validate (options, error))
    return NULL;
  if (!check_scope (self, kind, &namespace, NULL, error))
    return NULL;
  if ((path = kind_path (kind, namespace, NULL, error)) == NULL)
    return NULL;
  if (options && hero_virt_cluster_list_options_get_continue_token (options))
    cont = g_strdup (hero_virt_cluster_list_options_get_continue_token (options));
  /* Without a limit of the caller's, read in chunks of 500 and follow
   * the continue tokens, so the caller gets one list. */
  for (;;)
    {
      g_autoptr (GString) q = g_string_new (NULL);
      g_autoptr (JsonNode) page = NULL;
      JsonObject *po, *meta;
      const char *next;

      g_string_append_printf (q, "limit=%u", manual && limit ? limit : 500);
      list_query (q, options, FALSE);
      query_add (q, "continue", cont);
      page = request_json (self, "GET", path, q->str, NULL, NULL, cancellable, error);
      if (page == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_OBJECT (page))
        {
          g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                               "The API server's list is not an object");
          return NULL;
        }
      po = json_node_get_object (page);
      meta = json_object_has_member (po, "metadata")
                     && JSON_NODE_HOLDS_OBJECT (json_object_get_member (po, "metadata"))
                 ? json_object_get_object_member (po, "metadata")
                 : NULL;
      next = meta ? json_object_get_string_member_with_default (meta, "continue", NULL) : NULL;
      if (result == NULL)
        result = json_node_ref (page);
      else
        {
          JsonObject *ro = json_node_get_object (result);
          JsonArray  *items = json_object_get_array_member (ro, "items");
          JsonArray  *more = json_object_has_member (po, "items")
                                 ? json_object_get_array_member (po, "items")
                                 : NULL;

          for (guint i = 0; items && more && i < json_array_get_length (more); i++)
            json_array_add_element (items, json_node_copy (json_array_get_element (more, i)));
          if (meta != NULL)
            json_object_set_object_member (ro, "metadata", json_object_ref (meta));
        }
      if (manual || next == NULL || *next == '\0')
        break;
      g_free (cont);
      cont = g_strdup (next);
    }
  if (!manual && result != NULL)
    {
      JsonObject *ro = json_node_get_object (result);

      if (json_object_has_member (ro, "metadata")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (ro, "metadata")))
        json_object_remove_member (json_object_get_object_member (ro, "metadata"), "continue");
      if (!json_object_has_member (ro, "items")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (ro, "items")))
        json_object_set_array_member (ro, "items", json_array_new ());
    }
  return g_steal_pointer (&result);
}

static JsonNode *
k8s_replace (HeroVirtClusterProvider *provider,
             HeroVirtExecutor        *executor,
             HeroVirtClusterKind     *kind,
             const char *namespace,
             JsonNode     *resource,
             GCancellable *cancellable,
             GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (JsonNode) body = NULL;

  if (!check_scope (self, kind, &namespace, NULL, error)
      || !check_resource (kind, namespace, resource, TRUE, error))
    return NULL;
  if ((path = kind_path (kind, namespace, hero_virt_kube_resource_get_name (resource), error))
      == NULL)
    return NULL;
  body = with_type (kind, resource);
  return request_json (self, "PUT", path, NULL, NULL, body, cancellable, error);
}

static JsonNode *
k8s_apply (HeroVirtClusterProvider *provider,
           HeroVirtExecutor        *executor,
           HeroVirtClusterKind     *kind,
           const char *namespace,
           JsonNode     *resource,
           const char   *field_manager,
           gboolean      force,
           GCancellable *cancellable,
           GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (GString) q = g_string_new (NULL);

  if (field_manager == NULL || *field_manager == '\0' || strlen (field_manager) > 128)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "A field manager of 1 to 128 characters is required");
      return NULL;
    }
  for (const char *p = field_manager; *p; p++)
    if (!g_ascii_isprint (*p))
      {
        g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                             "The field manager must be printable characters");
        return NULL;
      }
  if (!check_scope (self, kind, &namespace, NULL, error)
      || !check_resource (kind, namespace, resource, TRUE, error))
    return NULL;
  if ((path = kind_path (kind, namespace, hero_virt_kube_resource_get_name (resource), error))
      == NULL)
    return NULL;
  body = with_type (kind, resource);
  query_add (q, "fieldManager", field_manager);
  if (force)
    g_string_append (q, "&force=true");
  return request_json (self, "PATCH", path, q->str, "application/apply-patch+yaml", body,
                       cancellable, error);
}

static JsonNode *
k8s_patch (HeroVirtClusterProvider *provider,
           HeroVirtExecutor        *executor,
           HeroVirtClusterKind     *kind,
           const char *namespace,
           const char              *name,
           HeroVirtClusterPatchType patch_type,
           JsonNode                *patch,
           GCancellable            *cancellable,
           GError                 **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  const char          *type;

  switch (patch_type)
    {
    case HERO_VIRT_CLUSTER_PATCH_MERGE:
      type = "application/merge-patch+json";
      break;
    case HERO_VIRT_CLUSTER_PATCH_JSON:
      type = "application/json-patch+json";
      break;
    case HERO_VIRT_CLUSTER_PATCH_STRATEGIC:
      type = "application/strategic-merge-patch+json";
      break;
    default:
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "Unknown patch type");
      return NULL;
    }
  if (patch == NULL
      || (patch_type == HERO_VIRT_CLUSTER_PATCH_JSON ? !JSON_NODE_HOLDS_ARRAY (patch)
                                                     : !JSON_NODE_HOLDS_OBJECT (patch)))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           patch_type == HERO_VIRT_CLUSTER_PATCH_JSON
                               ? "A JSON patch must be an array of operations"
                               : "A merge patch must be a JSON object");
      return NULL;
    }
  if (!check_scope (self, kind, &namespace, name, error))
    return NULL;
  if ((path = kind_path (kind, namespace, name, error)) == NULL)
    return NULL;
  return request_json (self, "PATCH", path, NULL, type, patch, cancellable, error);
}

static gboolean
k8s_delete (HeroVirtClusterProvider *provider,
            HeroVirtExecutor        *executor,
            HeroVirtClusterKind     *kind,
            const char *namespace,
            const char                *name,
            HeroVirtClusterPropagation propagation,
            gint64                     grace_period_seconds,
            GCancellable              *cancellable,
            GError                   **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (GString) q = g_string_new (NULL);
  g_autoptr (JsonNode) result = NULL;
  static const char *const policies[] = { NULL, "Foreground", "Background", "Orphan" };

  if (!check_scope (self, kind, &namespace, name, error))
    return FALSE;
  if ((path = kind_path (kind, namespace, name, error)) == NULL)
    return FALSE;
  if ((guint)propagation < G_N_ELEMENTS (policies))
    query_add (q, "propagationPolicy", policies[propagation]);
  if (grace_period_seconds >= 0)
    g_string_append_printf (q, "%sgracePeriodSeconds=%" G_GINT64_FORMAT, q->len ? "&" : "",
                            grace_period_seconds);
  result
      = request_json (self, "DELETE", path, q->len ? q->str : NULL, NULL, NULL, cancellable, error);
  return result != NULL;
}

/* ---- watch ------------------------------------------------------------ */

typedef struct
{
  HeroVirtK8sProvider  *provider; /* its watch session must outlive the stream */
  HeroVirtClusterWatch *watch;
  GInputStream         *stream;
  SoupMessage          *msg;
} WatchData;

static gpointer
watch_thread (gpointer data)
{
  WatchData    *d = data;
  GCancellable *cancellable = hero_virt_cluster_watch_get_cancellable (d->watch);
  g_autoptr (GDataInputStream) lines = g_data_input_stream_new (d->stream);
  g_autoptr (GError) error = NULL;

  g_data_input_stream_set_newline_type (lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  for (;;)
    {
      gsize            len = 0;
      g_autofree char *line = g_data_input_stream_read_line (lines, &len, cancellable, &error);
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (HeroVirtClusterWatchEvent) event = NULL;
      g_autoptr (GError) parse_error = NULL;
      gboolean is_error;

      if (line == NULL)
        break;
      if (len == 0)
        continue;
      node = hero_virt_json_parse_untrusted ((const guint8 *)line, len, 0, 0, &parse_error);
      if (node == NULL
          || (event = hero_virt_cluster_watch_event_new_from_json (node, &parse_error)) == NULL)
        {
          g_set_error (&error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "The API server sent a watch event that is not valid: %s",
                       parse_error->message);
          break;
        }
      is_error = hero_virt_cluster_watch_event_get_event_type (event)
                 == HERO_VIRT_CLUSTER_WATCH_EVENT_ERROR;
      if (!hero_virt_cluster_watch_push (d->watch, event))
        break;
      if (is_error)
        break; /* an ERROR (410 Gone) ends the stream: the reader relists */
    }
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr (GError) e = NULL;

      if (error->domain == HERO_VIRT_ERROR)
        e = g_error_copy (error);
      else
        e = g_error_new (HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK, "The watch broke: %s",
                         error->message);
      hero_virt_cluster_watch_fail (d->watch, e);
    }
  else
    hero_virt_cluster_watch_close (d->watch);
  g_input_stream_close (d->stream, NULL, NULL);
  g_object_unref (d->stream);
  g_object_unref (d->msg);
  g_object_unref (d->watch);
  g_object_unref (d->provider);
  g_free (d);
  return NULL;
}

static HeroVirtClusterWatch *
k8s_watch (HeroVirtClusterProvider *provider,
           HeroVirtExecutor        *executor,
           HeroVirtClusterKind     *kind,
           const char *namespace,
           HeroVirtClusterListOptions *options,
           GCancellable               *cancellable,
           GError                    **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (GString) q = g_string_new ("watch=true&allowWatchBookmarks=true");
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (HeroVirtClusterWatch) watch = NULL;
  Request    req = { "GET", NULL, NULL, NULL, NULL, TRUE };
  guint      status = 0;
  WatchData *d;
  GThread   *thread;

  if (options != NULL && !hero_virt_cluster_list_options_validate (options, error))
    return NULL;
  if (!check_scope (self, kind, &namespace, NULL, error))
    return NULL;
  if ((path = kind_path (kind, namespace, NULL, error)) == NULL)
    return NULL;
  list_query (q, options, TRUE);
  req.path = path;
  req.query = q->str;
  body = send_request (self, &req, &status, &stream, &msg, cancellable, error);
  if (body == NULL)
    return NULL;
  if (stream == NULL)
    {
      g_autoptr (JsonNode) node = parse_json (body, NULL);

      hero_virt_kube_set_error_from_status (error, status, node);
      return NULL;
    }
  watch = hero_virt_cluster_watch_new ();
  d = g_new0 (WatchData, 1);
  d->provider = g_object_ref (self);
  d->watch = g_object_ref (watch);
  d->stream = g_steal_pointer (&stream);
  d->msg = g_steal_pointer (&msg);
  thread = g_thread_new ("hero-virt-k8s-watch", watch_thread, d);
  g_thread_unref (thread);
  return g_steal_pointer (&watch);
}

/* ---- logs and namespaces ---------------------------------------------- */

static char *
k8s_logs (HeroVirtClusterProvider *provider,
          HeroVirtExecutor        *executor,
          const char *namespace,
          const char   *pod,
          const char   *container,
          gint64        tail_lines,
          gint64        since_seconds,
          gboolean      timestamps,
          gboolean      previous,
          GCancellable *cancellable,
          GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autofree char *path = NULL, *pod_path = NULL;
  g_autoptr (GString) q = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;
  Request     req = { "GET", NULL, NULL, NULL, NULL, FALSE };
  guint       status = 0;
  gsize       len = 0;
  const char *data;

  if (!check_scope (self, kind, &namespace, pod, error))
    return NULL;
  if (container != NULL && !hero_virt_kube_validate_dns1123_label (container, error))
    return NULL;
  if ((pod_path = kind_path (kind, namespace, pod, error)) == NULL)
    return NULL;
  path = g_strconcat (pod_path, "/log", NULL);
  query_add (q, "container", container);
  if (tail_lines >= 0)
    g_string_append_printf (q, "%stailLines=%" G_GINT64_FORMAT, q->len ? "&" : "", tail_lines);
  if (since_seconds > 0)
    g_string_append_printf (q, "%ssinceSeconds=%" G_GINT64_FORMAT, q->len ? "&" : "",
                            since_seconds);
  if (timestamps)
    g_string_append_printf (q, "%stimestamps=true", q->len ? "&" : "");
  if (previous)
    g_string_append_printf (q, "%sprevious=true", q->len ? "&" : "");
  req.path = path;
  req.query = q->len ? q->str : NULL;
  body = send_request (self, &req, &status, NULL, NULL, cancellable, error);
  if (body == NULL)
    return NULL;
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr (JsonNode) node = parse_json (body, NULL);

      hero_virt_kube_set_error_from_status (error, status, node);
      return NULL;
    }
  data = g_bytes_get_data (body, &len);
  return g_utf8_make_valid (data ? data : "", (gssize)len);
}

/* ---- streams: WebSocket exec and port-forward, following logs -------- */

/* The most a message from the server may carry; bigger ones end the
 * stream (an exec's output limit applies on top). */
#define WS_MAX_PAYLOAD (16 * 1024 * 1024)
/* Stdin goes out in messages of this size. */
#define WS_STDIN_CHUNK (64 * 1024)
/* How long a closing handshake may take before the socket is dropped. */
#define WS_CLOSE_GRACE_MS 1000

typedef struct
{
  GMainContext            *context;
  SoupWebsocketConnection *ws;
  GError                  *error;
  gboolean                 done;
} WsConnect;

static void
ws_connect_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WsConnect *c = user_data;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &c->error);
  c->done = TRUE;
  g_main_context_wakeup (c->context);
}

/* An exec's output limit when neither the caller nor the command sets one
 * (the executors' default). */
#define K8S_DEFAULT_MAX_OUTPUT ((guint64)64 * 1024 * 1024)

static gboolean
pod_has_container (JsonNode *pod, const char *container)
{
  static const char *const lists[] = { "containers", "initContainers", "ephemeralContainers" };
  JsonObject              *spec;

  if (!JSON_NODE_HOLDS_OBJECT (pod) || !json_object_has_member (json_node_get_object (pod), "spec")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (pod), "spec")))
    return FALSE;
  spec = json_object_get_object_member (json_node_get_object (pod), "spec");
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *a;

      if (!json_object_has_member (spec, lists[l])
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (spec, lists[l])))
        continue;
      a = json_object_get_array_member (spec, lists[l]);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *c = json_array_get_element (a, i);

          if (JSON_NODE_HOLDS_OBJECT (c)
              && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (c),
                                                                        "name", NULL),
                            container)
                     == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The path of a subresource of the pod called @pod. */
static char *
pod_subresource_path (HeroVirtK8sProvider *self,
                      const char *namespace,
                      const char *pod,
                      const char *container,
                      const char *subresource,
                      GError    **error)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autofree char *pod_path = NULL;

  if (!check_scope (self, kind, &namespace, pod, error))
    return NULL;
  if (container != NULL && !hero_virt_kube_validate_dns1123_label (container, error))
    return NULL;
  if ((pod_path = kind_path (kind, namespace, pod, error)) == NULL)
    return NULL;
  return g_strconcat (pod_path, "/", subresource, NULL);
}

/* After a refused upgrade: says what is missing, the pod or its
 * container, when that is why. */
static void
set_upgrade_error (HeroVirtK8sProvider *self,
                   const char *namespace,
                   const char   *pod,
                   const char   *container,
                   guint         status,
                   const GError *e,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) get_error = NULL;

  if (status == 0 || status == SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      set_io_error (error, self, e);
      return;
    }
  if (status == 400 || status == 404)
    {
      node = k8s_get (HERO_VIRT_CLUSTER_PROVIDER (self), NULL, kind, namespace, pod, cancellable,
                      &get_error);
      if (node == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&get_error));
          return;
        }
      if (container != NULL && !pod_has_container (node, container))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                       "The pod %s has no container %s", pod, container);
          return;
        }
    }
  hero_virt_kube_set_error_from_status (error, status, NULL);
}

/* -- the upgrade on a connection of our own --
 *
 * libsoup opens a new connection for every WebSocket and builds its TLS
 * connection with the system trust store, which GnuTLS loads and parses
 * again each time (144 certificates: several ms of CPU per exec, more
 * under load). When accept_certificate decides alone anyway (the
 * kubeconfig's CA, or no checks) and no proxy is in the way, the stream
 * opens here instead: TCP, TLS without a database, the HTTP/1.1 upgrade,
 * then the same SoupWebsocketConnection. */

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
/* The most an upgrade answer's head may be. */
#define WS_MAX_HEAD (64 * 1024)

static gboolean
ws_direct_possible (HeroVirtK8sProvider *self, GUri *uri, GCancellable *cancellable)
{
  g_auto (GStrv) proxies = NULL;

  if ((self->cas == NULL && !self->info->insecure)
      || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), self->info->server,
                                     cancellable, NULL);
  return proxies != NULL && proxies[0] != NULL && proxies[1] == NULL
         && strcmp (proxies[0], "direct://") == 0;
}

static gboolean
ws_tls_accept (GTlsConnection      *tls,
               GTlsCertificate     *cert,
               GTlsCertificateFlags errors,
               gpointer             user_data)
{
  return accept_certificate (NULL, cert, errors, user_data);
}

/* Reads the answer's head, never past its blank line: what follows is
 * the WebSocket's. */
static GString *
ws_read_head (GInputStream *in, GCancellable *cancellable, GError **error)
{
  static const char end[] = "\r\n\r\n";
  g_autoptr (GString) head = g_string_new (NULL);
  gsize matched = 0;

  while (matched < 4)
    {
      char   buf[4];
      gssize n;
      gsize  want = 4 - matched;

      if (head->len + want > WS_MAX_HEAD)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The upgrade answer's head is too long");
          return NULL;
        }
      /* Only as much as could end the head. */
      n = g_input_stream_read (in, buf, want, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "The API server closed the connection before the upgrade");
          return NULL;
        }
      g_string_append_len (head, buf, n);
      /* The longest tail of the head that begins the end marker. */
      matched = 0;
      for (gsize k = MIN (head->len, 4); k > 0; k--)
        if (memcmp (head->str + head->len - k, end, k) == 0)
          {
            matched = k;
            break;
          }
    }
  return g_steal_pointer (&head);
}

/* The value of header @name in @lines (the head after the status line). */
static char *
ws_head_value (char **lines, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      return g_strstrip (g_strdup (lines[i] + len + 1));
  return NULL;
}

static SoupWebsocketConnection *
ws_open_direct (HeroVirtK8sProvider *self,
                GUri                *uri,
                const Creds         *creds,
                const char *const   *protocols,
                guint               *status_out,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) tcp = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  g_autoptr (GIOStream) buffered = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GString) request = g_string_new (NULL);
  g_autoptr (GString) head = NULL;
  g_autofree char *offered = g_strjoinv (", ", (char **)protocols);
  g_autofree char *key = NULL, *accept = NULL, *want_accept = NULL, *protocol = NULL;
  g_autofree char *host_header = NULL;
  g_auto (GStrv) lines = NULL;
  const char *host = g_uri_get_host (uri);
  int         port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;
  guint8      nonce[16];
  guint       status = 0;

  g_socket_client_set_enable_proxy (client, FALSE);
  tcp = g_socket_client_connect_to_host (client, host, port, cancellable, error);
  if (tcp == NULL)
    return NULL;
  if (g_socket_get_family (g_socket_connection_get_socket (tcp)) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (g_socket_connection_get_socket (tcp), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* "database" NULL at construction: no trust store is loaded; every
   * certificate goes to accept_certificate, as with the session. */
  identity = g_network_address_new (host, port);
  buffered = k8s_pause_io_new (G_IO_STREAM (tcp), K8S_TCP_BUFFER, FALSE);
  tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                        cancellable, error, "base-io-stream", buffered, "server-identity", identity,
                        "database", NULL, "require-close-notify", FALSE, NULL);
  if (tls == NULL)
    return NULL;
  if (creds->cert != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), creds->cert);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (ws_tls_accept), self);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, error))
    return NULL;

  for (guint i = 0; i < sizeof nonce; i++)
    nonce[i] = g_random_int_range (0, 256);
  key = g_base64_encode (nonce, sizeof nonce);
  host_header = g_uri_get_port (uri) > 0
                    ? g_strdup_printf (strchr (host, ':') ? "[%s]:%d" : "%s:%d", host, port)
                    : g_strdup_printf (strchr (host, ':') ? "[%s]" : "%s", host);
  g_string_append_printf (request,
                          "GET %s%s%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: hero-virt/%s\r\n"
                          "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n"
                          "Sec-WebSocket-Protocol: %s\r\n",
                          g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
                          g_uri_get_query (uri) ? g_uri_get_query (uri) : "", host_header,
                          PACKAGE_VERSION_K8S, key, offered);
  if (creds->authorization != NULL)
    g_string_append_printf (request, "Authorization: %s\r\n", creds->authorization);
  g_string_append (request, "\r\n");
  {
    gboolean ok = g_output_stream_write_all (g_io_stream_get_output_stream (tls), request->str,
                                             request->len, NULL, cancellable, error);

    /* The request holds the credentials. */
    memset (request->str, 0, request->len);
    if (!ok)
      return NULL;
  }

  head = ws_read_head (g_io_stream_get_input_stream (tls), cancellable, error);
  if (head == NULL)
    return NULL;
  lines = g_strsplit (head->str, "\r\n", -1);
  if (sscanf (lines[0], "HTTP/1.%*d %u", &status) != 1)
    status = 0;
  *status_out = status;
  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The server did not accept the WebSocket handshake (HTTP %u)", status);
      return NULL;
    }
  {
    g_autofree char *k = g_strconcat (key, WS_GUID, NULL);
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize  dlen = sizeof digest;

    g_checksum_update (sum, (const guchar *)k, strlen (k));
    g_checksum_get_digest (sum, digest, &dlen);
    want_accept = g_base64_encode (digest, dlen);
  }
  accept = ws_head_value (lines, "Sec-WebSocket-Accept");
  protocol = ws_head_value (lines, "Sec-WebSocket-Protocol");
  if (g_strcmp0 (accept, want_accept) != 0
      || (protocol != NULL && !g_strv_contains (protocols, protocol)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The server's WebSocket handshake is not valid");
      return NULL;
    }
  {
    g_autoptr (GIOStream) io = k8s_pause_io_new (tls, K8S_WS_BUFFER, TRUE);

    return soup_websocket_connection_new (io, uri, SOUP_WEBSOCKET_CONNECTION_CLIENT, NULL, protocol,
                                          NULL);
  }
}

/* Opens a WebSocket to @path?@query in @context (the caller's thread
 * default), with the provider's credentials and TLS checks. */
static SoupWebsocketConnection *
ws_open (HeroVirtK8sProvider *self,
         GMainContext        *context,
         const char          *path,
         const char          *query,
         const char *const   *protocols,
         guint               *status_out,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_auto (Creds) creds = { 0 };
  WsConnect           c = { context, NULL, NULL, FALSE };
  SoupMessageHeaders *headers;

  *status_out = 0;
  if (!ensure_ready (self, error))
    return NULL;
  if (!rate_limit (self, cancellable, error))
    return NULL;
  if (!get_creds (self, FALSE, &creds, cancellable, error))
    return NULL;
  url = g_strconcat (self->info->server, path, query ? "?" : "", query ? query : "", NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Not a valid request path: %s", path);
      return NULL;
    }
  {
    g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

    if (uri != NULL && ws_direct_possible (self, uri, cancellable))
      {
        SoupWebsocketConnection *ws
            = ws_open_direct (self, uri, &creds, protocols, status_out, cancellable, error);

        if (ws != NULL)
          g_object_set (ws, "max-incoming-payload-size", (guint64)WS_MAX_PAYLOAD, NULL);
        return ws;
      }
  }
  headers = soup_message_get_request_headers (msg);
  if (creds.authorization)
    soup_message_headers_replace (headers, "Authorization", creds.authorization);
  if (creds.cert)
    soup_message_set_tls_client_certificate (msg, creds.cert);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate), self);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event), NULL);
  soup_session_websocket_connect_async (self->watch_session, msg, NULL, (char **)protocols,
                                        G_PRIORITY_DEFAULT, cancellable, ws_connect_cb, &c);
  while (!c.done)
    g_main_context_iteration (context, TRUE);
  *status_out = soup_message_get_status (msg);
  if (c.ws == NULL)
    {
      if (g_error_matches (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, c.error);
      else
        {
          g_propagate_error (error, c.error);
        }
      return NULL;
    }
  g_object_set (c.ws, "max-incoming-payload-size", (guint64)WS_MAX_PAYLOAD, NULL);
  return c.ws;
}

/* Ends @ws: a closing handshake if it is open, bounded, then the socket. */
static void
ws_finish (SoupWebsocketConnection *ws, GMainContext *context)
{
  gint64 end = g_get_monotonic_time () + WS_CLOSE_GRACE_MS * 1000;

  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED
         && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (2000);
    }
  if (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_io_stream_close (soup_websocket_connection_get_io_stream (ws), NULL, NULL);
  /* Let the connection's pending sources run in this context. */
  while (g_main_context_iteration (context, FALSE))
    ;
}

/* -- channel streams: exec, attach and port-forward over WebSocket -- */

/* One channel.k8s.io stream with the main context it runs in (pushed as
 * the thread default while it is open). */
typedef struct
{
  GMainContext            *context;
  SoupWebsocketConnection *ws;
  gboolean                 v5; /* v5.channel.k8s.io: channels can be closed */
  /* The caller's cancellable, watched with g_cancellable_connect(): its
   * handler (any thread) queues cancel_idle to run on_cancel here. Not a
   * g_cancellable_source_new(): GLib 2.74 leaks such a source when its
   * last reference goes while another thread is cancelling. */
  GCancellable *cancellable;
  gulong        cancel_id;
  GMutex        cancel_lock;
  GSource      *cancel_idle;
  gboolean (*on_cancel) (GCancellable *, gpointer);
  gpointer cancel_data;
  guint64  handed; /* frame bytes given to the WebSocket by channel_stream_send_frame() */
} ChannelStream;

/* Opens the stream to @path?@query of @pod offering @protocols, in a new
 * main context that stays the thread default until channel_stream_end().
 * A refused upgrade says what is missing (the pod or @container). */
static gboolean
channel_stream_open (HeroVirtK8sProvider *self,
                     ChannelStream       *cs,
                     const char *namespace,
                     const char        *pod,
                     const char        *container,
                     const char        *path,
                     const char        *query,
                     const char *const *protocols,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr (GError) local_error = NULL;
  guint status = 0;

  memset (cs, 0, sizeof *cs);
  cs->context = g_main_context_new ();
  g_main_context_push_thread_default (cs->context);
  cs->ws = ws_open (self, cs->context, path, query, protocols, &status, cancellable, &local_error);
  if (cs->ws == NULL)
    {
      g_main_context_pop_thread_default (cs->context);
      g_clear_pointer (&cs->context, g_main_context_unref);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || local_error->domain == HERO_VIRT_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_upgrade_error (self, namespace, pod, container, status, local_error, cancellable,
                           error);
      return FALSE;
    }
  cs->v5 = g_strcmp0 (soup_websocket_connection_get_protocol (cs->ws), "v5.channel.k8s.io") == 0;
  return TRUE;
}

static gboolean
channel_stream_cancel_idle (gpointer data)
{
  ChannelStream *cs = data;

  return cs->on_cancel (cs->cancellable, cs->cancel_data);
}

/* The cancellable's handler: in the cancelling thread (or this one, when
 * it was already cancelled), so it only queues the work to the stream's
 * context. */
static void
channel_stream_cancelled (GCancellable *cancellable, gpointer data)
{
  ChannelStream *cs = data;
  GSource       *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, channel_stream_cancel_idle, cs, NULL);
  g_source_set_static_name (idle, "[hero-virt] k8s stream cancelled");
  g_mutex_lock (&cs->cancel_lock);
  if (cs->cancel_idle == NULL)
    {
      cs->cancel_idle = g_source_ref (idle);
      g_source_attach (idle, cs->context);
    }
  g_mutex_unlock (&cs->cancel_lock);
  g_source_unref (idle);
}

/* Connects the stream's signals to @user_data's handlers and, with a
 * @cancellable, @on_cancel to run in the stream's context. */
static void
channel_stream_connect (ChannelStream *cs,
                        GCallback      on_message,
                        GCallback      on_closed,
                        GCallback      on_error,
                        GCancellable  *cancellable,
                        gboolean (*on_cancel) (GCancellable *, gpointer),
                        gpointer user_data)
{
  g_signal_connect (cs->ws, "message", on_message, user_data);
  g_signal_connect (cs->ws, "closed", on_closed, user_data);
  g_signal_connect (cs->ws, "error", on_error, user_data);
  if (cancellable != NULL)
    {
      g_mutex_init (&cs->cancel_lock);
      cs->cancellable = g_object_ref (cancellable);
      cs->on_cancel = on_cancel;
      cs->cancel_data = user_data;
      cs->cancel_id
          = g_cancellable_connect (cancellable, G_CALLBACK (channel_stream_cancelled), cs, NULL);
    }
}

/* Sends @len bytes of @data on @channel, if the stream is still open. */
static void
channel_stream_send (ChannelStream *cs, guint8 channel, const void *data, gsize len)
{
  g_autoptr (GBytes) frame = NULL;
  gconstpointer fdata;
  gsize         flen;

  if (soup_websocket_connection_get_state (cs->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  frame = k8s_frame (channel, data, len);
  fdata = g_bytes_get_data (frame, &flen);
  soup_websocket_connection_send_binary (cs->ws, fdata, flen);
}

/* Sends @frame as it is: its first byte is the channel. */
static void
channel_stream_send_frame (ChannelStream *cs, const guint8 *frame, gsize len)
{
  if (soup_websocket_connection_get_state (cs->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  /* A client's frame on the wire: the header, the mask, the payload. */
  cs->handed += 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + 4 + len;
  soup_websocket_connection_send_binary (cs->ws, frame, len);
}

/* How much of what channel_stream_send_frame() sent the WebSocket still
 * queues, or -1 when that is not known (libsoup's session opened it). */
static gint64
channel_stream_queued (ChannelStream *cs)
{
  gint64 written = k8s_ws_written (cs->ws);

  if (written < 0)
    return -1;
  /* Its own frames (pongs, the close) count as written too. */
  return MAX ((gint64)cs->handed - written, 0);
}

/* Stops reading the stream (its messages wait in the socket, and the
 * API server stops at its own high-water mark) or reads on. FALSE when
 * the stream cannot pause (libsoup's session opened it). */
static gboolean
channel_stream_pause (ChannelStream *cs, gboolean paused)
{
  return k8s_ws_set_paused (cs->ws, paused);
}

/* Closes @channel with the v5 CLOSE signal; v4 has none (a no-op). */
static void
channel_stream_close_channel (ChannelStream *cs, guint8 channel)
{
  g_autoptr (GBytes) close = NULL;
  gconstpointer fdata;
  gsize         flen;

  if (!cs->v5 || soup_websocket_connection_get_state (cs->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  close = k8s_frame_close (channel);
  fdata = g_bytes_get_data (close, &flen);
  soup_websocket_connection_send_binary (cs->ws, fdata, flen);
}

/* Ends the stream: the cancel watch, a bounded closing handshake, the
 * handlers of @user_data; then pops and frees the context. */
static void
channel_stream_end (ChannelStream *cs, gpointer user_data)
{
  if (cs->cancellable != NULL)
    {
      /* Waits for a handler running in another thread: none runs after. */
      g_cancellable_disconnect (cs->cancellable, cs->cancel_id);
      if (cs->cancel_idle != NULL)
        {
          g_source_destroy (cs->cancel_idle);
          g_clear_pointer (&cs->cancel_idle, g_source_unref);
        }
      g_mutex_clear (&cs->cancel_lock);
      g_clear_object (&cs->cancellable);
    }
  ws_finish (cs->ws, cs->context);
  g_signal_handlers_disconnect_by_data (cs->ws, user_data);
  while (g_main_context_iteration (cs->context, FALSE))
    ;
  g_main_context_pop_thread_default (cs->context);
  g_clear_object (&cs->ws);
  g_clear_pointer (&cs->context, g_main_context_unref);
}

/* -- exec -- */

typedef struct
{
  GMainContext    *context;
  HeroVirtCommand *command;
  gboolean         emit_lines;
  gboolean         merge;
  gsize            cap;
  GByteArray      *out;
  GByteArray      *err;
  GString         *out_line;
  GString         *err_line;
  gboolean         out_cr, err_cr;
  GString         *status;
  const char      *too_large; /* the stream that went past the cap */
  gboolean         timed_out;
  gboolean         cancelled;
  gboolean         closed;
  GError          *ws_error;
} ExecRun;

static void
exec_flush_lines (ExecRun *r, GString *buffer, HeroVirtOutputStream stream, gboolean at_eof)
{
  gboolean *after_cr = stream == HERO_VIRT_OUTPUT_STREAM_STDOUT ? &r->out_cr : &r->err_cr;
  gsize     start = 0;

  for (gsize i = 0; i < buffer->len; i++)
    {
      char ch = buffer->str[i];

      if (ch != '\n' && ch != '\r')
        {
          *after_cr = FALSE;
          continue;
        }
      if (!(ch == '\n' && i == start && *after_cr))
        {
          g_autofree char *line = g_utf8_make_valid (buffer->str + start, i - start);
          hero_virt_command_emit_line (r->command, stream, line);
        }
      *after_cr = ch == '\r';
      start = i + 1;
    }
  g_string_erase (buffer, 0, start);
  if (at_eof && buffer->len > 0)
    {
      g_autofree char *line = g_utf8_make_valid (buffer->str, buffer->len);
      hero_virt_command_emit_line (r->command, stream, line);
      g_string_truncate (buffer, 0);
    }
}

static void
exec_output (ExecRun                 *r,
             SoupWebsocketConnection *ws,
             gboolean                 is_err,
             const guint8            *data,
             gsize                    len)
{
  GByteArray          *keep = is_err && !r->merge ? r->err : r->out;
  HeroVirtOutputStream stream
      = is_err ? HERO_VIRT_OUTPUT_STREAM_STDERR : HERO_VIRT_OUTPUT_STREAM_STDOUT;

  if (keep->len + len > r->cap && !r->emit_lines)
    {
      if (r->too_large == NULL)
        {
          r->too_large = is_err ? "its standard error" : "its standard output";
          /* Closing the stream ends the command (the server aborts it). */
          if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        }
      return;
    }
  if (r->too_large == NULL)
    g_byte_array_append (keep, data, MIN (len, r->cap - keep->len));
  if (r->emit_lines)
    {
      GString *line = is_err ? r->err_line : r->out_line;

      g_string_append_len (line, (const char *)data, len);
      exec_flush_lines (r, line, stream, FALSE);
      if (line->len > r->cap)
        exec_flush_lines (r, line, stream, TRUE);
    }
}

static void
exec_message (SoupWebsocketConnection *ws,
              SoupWebsocketDataType    type,
              GBytes                  *message,
              gpointer                 user_data)
{
  ExecRun      *r = user_data;
  guint8        channel;
  const guint8 *data;
  gsize         len;

  if (!k8s_frame_parse (message, &channel, &data, &len) || len == 0)
    return;
  switch (channel)
    {
    case K8S_CHANNEL_STDOUT:
      exec_output (r, ws, FALSE, data, len);
      break;
    case K8S_CHANNEL_STDERR:
      exec_output (r, ws, TRUE, data, len);
      break;
    case K8S_CHANNEL_ERROR:
      if (r->status->len + len <= 1024 * 1024)
        g_string_append_len (r->status, (const char *)data, len);
      break;
    default:
      break;
    }
}

static void
exec_closed (SoupWebsocketConnection *ws, gpointer user_data)
{
  ExecRun *r = user_data;

  r->closed = TRUE;
  g_main_context_wakeup (r->context);
}

static void
exec_error (SoupWebsocketConnection *ws, GError *e, gpointer user_data)
{
  ExecRun *r = user_data;

  if (r->ws_error == NULL)
    r->ws_error = g_error_copy (e);
}

static gboolean
exec_timeout (gpointer user_data)
{
  ExecRun *r = user_data;

  r->timed_out = TRUE;
  g_main_context_wakeup (r->context);
  return G_SOURCE_REMOVE;
}

static gboolean
exec_cancelled (GCancellable *cancellable, gpointer user_data)
{
  ExecRun *r = user_data;

  r->cancelled = TRUE;
  g_main_context_wakeup (r->context);
  return G_SOURCE_REMOVE;
}

/* Resizes of a command on a terminal come from any thread: the handler
 * only wakes the stream's context, whose loop sends the size. Shared with
 * the signal closure, so a resize racing the end of the stream is safe. */
typedef struct
{
  gatomicrefcount refs;
  GMainContext   *context;
  gint            pending;
} ExecResize;

static ExecResize *
exec_resize_ref (ExecResize *w)
{
  g_atomic_ref_count_inc (&w->refs);
  return w;
}

static void
exec_resize_unref (ExecResize *w)
{
  if (g_atomic_ref_count_dec (&w->refs))
    {
      g_main_context_unref (w->context);
      g_free (w);
    }
}

static void
exec_resize_closure_unref (gpointer data, GClosure *closure)
{
  exec_resize_unref (data);
}

static void
exec_resized (HeroVirtCommand *command, guint columns, guint rows, gpointer user_data)
{
  ExecResize *w = user_data;

  g_atomic_int_set (&w->pending, 1);
  g_main_context_wakeup (w->context);
}

/* Sends @command's terminal size, if it has one, on the resize channel. */
static void
exec_send_size (ChannelStream *cs, HeroVirtCommand *command)
{
  g_autofree char *message = NULL;
  guint            columns, rows;

  if (!hero_virt_command_get_terminal_size (command, &columns, &rows))
    return;
  message = k8s_resize_message (columns, rows);
  channel_stream_send (cs, K8S_CHANNEL_RESIZE, message, strlen (message));
}

/* The argv run in the container: @command's, behind `sh -c 'cd'` for a
 * working directory and `env` for variables. */
static GStrv
exec_argv (HeroVirtCommand *command, const char *const *variables)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const char *const *env = hero_virt_command_get_environ (command);
  const char        *cwd = hero_virt_command_get_cwd (command);
  gboolean           has_env = (variables && variables[0]) || (env && env[0]);

  if (cwd != NULL)
    {
      /* A fixed script: the directory is a positional parameter. */
      g_strv_builder_add_many (b, "sh", "-c", "cd -- \"$1\" || exit 126; shift; exec \"$@\"", "sh",
                               cwd, NULL);
    }
  if (has_env)
    {
      g_strv_builder_add (b, "env");
      if (variables)
        g_strv_builder_addv (b, (const char **)variables);
      if (env)
        g_strv_builder_addv (b, (const char **)env);
    }
  g_strv_builder_addv (b, (const char **)hero_virt_command_get_argv (command));
  return g_strv_builder_end (b);
}

static HeroVirtCommandResult *
k8s_exec_command (HeroVirtClusterProvider *provider,
                  HeroVirtExecutor        *executor,
                  const char *namespace,
                  const char        *pod,
                  const char        *container,
                  HeroVirtCommand   *command,
                  const char *const *variables,
                  guint64            max_output,
                  GCancellable      *cancellable,
                  GError           **error)
{
  HeroVirtK8sProvider     *self = HERO_VIRT_K8S_PROVIDER (provider);
  static const char *const protocols[] = { "v5.channel.k8s.io", "v4.channel.k8s.io", NULL };
  ChannelStream            cs;
  g_autofree char         *path = NULL, *query = NULL, *display = NULL;
  g_auto (GStrv) argv = NULL;
  GBytes                *input = hero_virt_command_get_stdin (command);
  gboolean               want_stdin = input != NULL && g_bytes_get_size (input) > 0;
  GSource               *timeout = NULL;
  gint64                 start = g_get_monotonic_time ();
  ExecRun                r = { 0 };
  gboolean               tty = hero_virt_command_get_tty (command);
  ExecResize            *resize = NULL;
  gulong                 resize_id = 0;
  HeroVirtCommandResult *result = NULL;
  int                    exit_code = -1;
  g_autofree char       *failure = NULL;

  if (hero_virt_command_get_argv (command)[0] == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "No command to run");
      return NULL;
    }
  if ((path = pod_subresource_path (self, namespace, pod, container, "exec", error)) == NULL)
    return NULL;
  if (!ensure_ready (self, error))
    return NULL;
  if (namespace == NULL)
  namespace = default_namespace (self);
  argv = exec_argv (command, variables);
  query = k8s_exec_query ((const char *const *)argv, container, want_stdin, TRUE, tty);
  display = hero_virt_command_to_string (command);

  if (!channel_stream_open (self, &cs, namespace, pod, container, path, query, protocols,
                            cancellable, error))
    return NULL;

  r.context = cs.context;
  r.command = command;
  r.emit_lines = hero_virt_command_wants_lines (command);
  r.merge = hero_virt_command_get_merge_stderr (command);
  if (max_output == 0)
    max_output = hero_virt_command_get_max_output (command);
  if (max_output == 0)
    max_output = K8S_DEFAULT_MAX_OUTPUT;
  r.cap = (gsize)MIN (max_output, (guint64)G_MAXSIZE);
  r.out = g_byte_array_new ();
  r.err = g_byte_array_new ();
  r.out_line = g_string_new (NULL);
  r.err_line = g_string_new (NULL);
  r.status = g_string_new (NULL);
  channel_stream_connect (&cs, G_CALLBACK (exec_message), G_CALLBACK (exec_closed),
                          G_CALLBACK (exec_error), cancellable, exec_cancelled, &r);
  if (tty)
    {
      resize = g_new0 (ExecResize, 1);
      g_atomic_ref_count_init (&resize->refs);
      resize->context = g_main_context_ref (cs.context);
      resize_id = g_signal_connect_data (command, "resized", G_CALLBACK (exec_resized),
                                         exec_resize_ref (resize), exec_resize_closure_unref, 0);
      exec_send_size (&cs, command);
    }

  if (want_stdin)
    {
      gsize         len;
      const guint8 *data = g_bytes_get_data (input, &len);

      for (gsize off = 0; off < len; off += WS_STDIN_CHUNK)
        channel_stream_send (&cs, K8S_CHANNEL_STDIN, data + off, MIN (WS_STDIN_CHUNK, len - off));
      channel_stream_close_channel (&cs, K8S_CHANNEL_STDIN);
    }

  if (hero_virt_command_get_timeout (command) > 0)
    {
      timeout = g_timeout_source_new (hero_virt_command_get_timeout (command));
      g_source_set_callback (timeout, exec_timeout, &r, NULL);
      g_source_attach (timeout, cs.context);
    }

  while (!r.closed && !r.timed_out && !r.cancelled
         && !(r.too_large != NULL
              && soup_websocket_connection_get_state (cs.ws) == SOUP_WEBSOCKET_STATE_CLOSED))
    {
      g_main_context_iteration (cs.context, TRUE);
      if (resize != NULL && g_atomic_int_compare_and_exchange (&resize->pending, 1, 0))
        exec_send_size (&cs, command);
    }

  if (timeout)
    {
      g_source_destroy (timeout);
      g_source_unref (timeout);
    }
  if (resize != NULL)
    {
      g_signal_handler_disconnect (command, resize_id);
      exec_resize_unref (resize);
    }
  channel_stream_end (&cs, &r);

  if (r.emit_lines)
    {
      exec_flush_lines (&r, r.out_line, HERO_VIRT_OUTPUT_STREAM_STDOUT, TRUE);
      exec_flush_lines (&r, r.err_line, HERO_VIRT_OUTPUT_STREAM_STDERR, TRUE);
    }

  if (r.cancelled || g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  else if (r.timed_out)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                 "%s did not finish within %u ms in the pod %s; the stream was closed",
                 hero_virt_command_get_program (command), hero_virt_command_get_timeout (command),
                 pod);
  else if (r.too_large != NULL)
    {
      g_autofree char *size = g_format_size_full (r.cap, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "%s wrote more than %s (%" G_GSIZE_FORMAT " bytes) to %s; it was killed (raise "
                   "the command's or the executor's max-output to allow more)",
                   hero_virt_command_get_program (command), size, r.cap, r.too_large);
    }
  else
    {
      K8sExecStatus s = r.status->len ? k8s_exec_status_parse (r.status->str, r.status->len,
                                                               &exit_code, &failure)
                                      : K8S_EXEC_STATUS_INVALID;

      if (s == K8S_EXEC_STATUS_INVALID)
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                     "The stream of %s in the pod %s broke before its exit status arrived%s%s",
                     hero_virt_command_get_program (command), pod, r.ws_error ? ": " : "",
                     r.ws_error ? r.ws_error->message : "");
      else
        {
          g_autoptr (GBytes) out = NULL;
          g_autoptr (GBytes) err = NULL;
          g_autofree char *err_text = NULL;
          g_autofree char *redacted = NULL;

          if (s == K8S_EXEC_STATUS_SUCCESS)
            exit_code = 0;
          else if (s == K8S_EXEC_STATUS_FAILURE)
            {
              /* The runtime could not start it: as a shell says. */
              g_autofree char *lower = g_ascii_strdown (failure, -1);

              exit_code = strstr (lower, "not found") || strstr (lower, "no such file") ? 127 : 126;
              if (r.err->len && r.err->data[r.err->len - 1] != '\n')
                g_byte_array_append (r.err, (const guint8 *)"\n", 1);
              g_byte_array_append (r.err, (const guint8 *)failure, strlen (failure));
              g_byte_array_append (r.err, (const guint8 *)"\n", 1);
            }
          out = g_byte_array_free_to_bytes (g_byte_array_ref (r.out));
          err_text = g_strndup (r.err->len ? (const char *)r.err->data : "", r.err->len);
          redacted = hero_virt_command_redact (command, err_text);
          err = g_bytes_new (redacted, strlen (redacted));
          result = hero_virt_command_result_new (display, exit_code, 0, out, err,
                                                 g_get_monotonic_time () - start);
          g_debug ("pod %s/%s: %s (exit %d, %.3f s)", namespace, pod, display, exit_code,
                   (g_get_monotonic_time () - start) / 1e6);
        }
    }

  g_clear_error (&r.ws_error);
  g_byte_array_unref (r.out);
  g_byte_array_unref (r.err);
  g_string_free (r.out_line, TRUE);
  g_string_free (r.err_line, TRUE);
  g_string_free (r.status, TRUE);
  return result;
}

static HeroVirtCommandResult *
k8s_exec (HeroVirtClusterProvider *provider,
          HeroVirtExecutor        *executor,
          const char *namespace,
          const char        *pod,
          const char        *container,
          const char *const *argv,
          GBytes            *stdin_bytes,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr (HeroVirtCommand) command = NULL;

  if (argv[0] == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "No command to run");
      return NULL;
    }
  command = hero_virt_command_set_log_domain (hero_virt_command_new_argv (argv), G_LOG_DOMAIN);
  if (stdin_bytes != NULL)
    hero_virt_command_set_stdin (command, stdin_bytes);
  return k8s_exec_command (provider, executor, namespace, pod, container, command, NULL, 0,
                           cancellable, error);
}

/* -- port-forward and attach: a local stream joined to channels --
 *
 * What the pod sends is written straight to the local socket (a
 * non-blocking write); only what would block waits in a queue. Above
 * FORWARD_HIGH_WATER queued bytes the WebSocket is not read (so the API
 * server stops reading the pod) until the local socket has drained them
 * to FORWARD_LOW_WATER; a stream that cannot pause writes the queue down
 * with blocking writes instead. The other way, the local socket is read
 * FORWARD_READ_SIZE at a time into a buffer that already holds the
 * channel byte (the message is sent from there), and read again only when
 * the WebSocket's socket takes more. */

#define FORWARD_HIGH_WATER (512 * 1024)
#define FORWARD_LOW_WATER (128 * 1024)
#define FORWARD_READ_SIZE (128 * 1024)

/* A port-forward joins a local connection to a pod port's data channel (0)
 * and its error channel (1), both prefixed with the port. An attach joins
 * it to a process: what the local side sends is standard input (0), its
 * end closes stdin (v5); standard output and error (1, 2) are written
 * locally, and the stream ends when the server closes it (the status on
 * channel 3 comes first). */
typedef struct
{
  GMainContext  *context;
  ChannelStream *cs;
  GIOStream     *local;
  GOutputStream *out;
  gboolean       out_pollable;
  gboolean       attach;
  gboolean       attach_stdin;
  GSource       *hangup; /* attach: the local side closed, not just its writing */
  guint16        port;
  gboolean       data_prefixed, error_prefixed;
  GString       *remote_error;
  GQueue         pending;   /* GBytes for the local socket */
  gsize          head_sent; /* of the queue's head */
  gsize          queued;    /* bytes in the queue, less head_sent */
  GSource       *out_wait;  /* for the local socket to take more */
  GSource       *ws_wait;   /* for the WebSocket's socket to take more */
  gboolean       paused;
  gboolean       ws_full; /* local reads wait for the WebSocket's queue to drain */
  gboolean       reading;
  gboolean       local_eof;
  gboolean       local_failed;
  gboolean       closed;
  gboolean       cancelled;
  gboolean       bad_frame;
  gboolean       finishing;
  GCancellable  *cancellable; /* the caller's, for blocking writes */
  GCancellable  *io_cancel;
  guint8        *buf; /* the data channel's byte, then what the local socket gave */
  GError        *ws_error;
} Forward;

static void
forward_local_failed (Forward *f)
{
  f->local_failed = TRUE;
  g_queue_clear_full (&f->pending, (GDestroyNotify)g_bytes_unref);
  f->head_sent = f->queued = 0;
}

static void forward_flush (Forward *f);

static gboolean
forward_out_ready (GObject *stream, gpointer user_data)
{
  Forward *f = user_data;

  g_clear_pointer (&f->out_wait, g_source_unref);
  forward_flush (f);
  return G_SOURCE_REMOVE;
}

static void
forward_wait_out (Forward *f)
{
  if (f->out_wait != NULL)
    return;
  f->out_wait = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (f->out), NULL);
  g_source_set_callback (f->out_wait, (GSourceFunc)(void (*) (void))forward_out_ready, f, NULL);
  g_source_attach (f->out_wait, f->context);
}

/* Writes the queue out while the local socket takes it; reads the
 * WebSocket again once it is down to FORWARD_LOW_WATER. */
static void
forward_flush (Forward *f)
{
  GBytes *head;

  while (!f->local_failed && (head = g_queue_peek_head (&f->pending)) != NULL)
    {
      g_autoptr (GError) e = NULL;
      gsize         len;
      const guint8 *data = g_bytes_get_data (head, &len);
      gssize        n = g_pollable_output_stream_write_nonblocking (
                 G_POLLABLE_OUTPUT_STREAM (f->out), data + f->head_sent, len - f->head_sent, NULL, &e);

      if (n < 0 && g_error_matches (e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          forward_wait_out (f);
          break;
        }
      if (n < 0)
        {
          forward_local_failed (f);
          return;
        }
      f->head_sent += n;
      f->queued -= n;
      if (f->head_sent == len)
        {
          g_bytes_unref (g_queue_pop_head (&f->pending));
          f->head_sent = 0;
        }
    }
  if (f->paused && f->queued <= FORWARD_LOW_WATER)
    {
      f->paused = FALSE;
      channel_stream_pause (f->cs, FALSE);
    }
}

/* A stream that cannot pause: the queue goes down with blocking writes. */
static void
forward_flush_blocking (Forward *f)
{
  GBytes *head;

  while (!f->local_failed && f->queued > FORWARD_LOW_WATER
         && (head = g_queue_peek_head (&f->pending)) != NULL)
    {
      gsize         len;
      const guint8 *data = g_bytes_get_data (head, &len);
      gssize        n = g_output_stream_write (f->out, data + f->head_sent, len - f->head_sent,
                                               f->cancellable, NULL);

      if (n <= 0)
        {
          forward_local_failed (f);
          return;
        }
      f->head_sent += n;
      f->queued -= n;
      if (f->head_sent == len)
        {
          g_bytes_unref (g_queue_pop_head (&f->pending));
          f->head_sent = 0;
        }
    }
}

/* @len bytes at @data, inside @message, for the local socket. */
static void
forward_deliver (Forward *f, GBytes *message, const guint8 *data, gsize len)
{
  if (f->local_failed || f->finishing)
    return;
  if (!f->out_pollable)
    {
      if (!g_output_stream_write_all (f->out, data, len, NULL, f->cancellable, NULL))
        forward_local_failed (f);
      return;
    }
  if (g_queue_is_empty (&f->pending))
    {
      g_autoptr (GError) e = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (f->out),
                                                             data, len, NULL, &e);

      if (n < 0 && !g_error_matches (e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          forward_local_failed (f);
          return;
        }
      if (n == (gssize)len)
        return;
      if (n > 0)
        {
          data += n;
          len -= n;
        }
      forward_wait_out (f);
    }
  g_queue_push_tail (&f->pending,
                     g_bytes_new_from_bytes (
                         message, data - (const guint8 *)g_bytes_get_data (message, NULL), len));
  f->queued += len;
  if (f->queued > FORWARD_HIGH_WATER && !f->paused)
    {
      if (channel_stream_pause (f->cs, TRUE))
        f->paused = TRUE;
      else
        forward_flush_blocking (f);
    }
}

static void
forward_message (SoupWebsocketConnection *ws,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  Forward      *f = user_data;
  guint8        channel;
  const guint8 *data;
  gsize         len;

  if (!k8s_frame_parse (message, &channel, &data, &len))
    return;
  if (f->attach)
    {
      if ((channel == K8S_CHANNEL_STDOUT || channel == K8S_CHANNEL_STDERR) && len > 0)
        forward_deliver (f, message, data, len);
      else if (channel == K8S_CHANNEL_ERROR && f->remote_error->len < 4096)
        g_string_append_len (f->remote_error, (const char *)data, MIN (len, 4096));
      return;
    }
  if (channel == 0)
    {
      if (!f->data_prefixed)
        {
          if (!k8s_port_prefix_strip (&data, &len, f->port))
            {
              f->bad_frame = TRUE;
              g_main_context_wakeup (f->context);
              return;
            }
          f->data_prefixed = TRUE;
        }
      if (len > 0)
        forward_deliver (f, message, data, len);
    }
  else if (channel == 1)
    {
      if (!f->error_prefixed)
        {
          if (!k8s_port_prefix_strip (&data, &len, f->port))
            {
              f->bad_frame = TRUE;
              g_main_context_wakeup (f->context);
              return;
            }
          f->error_prefixed = TRUE;
        }
      if (len > 0 && f->remote_error->len < 4096)
        g_string_append_len (f->remote_error, (const char *)data, MIN (len, 4096));
    }
}

static void
forward_closed (SoupWebsocketConnection *ws, gpointer user_data)
{
  Forward *f = user_data;

  f->closed = TRUE;
  g_main_context_wakeup (f->context);
}

static void
forward_error (SoupWebsocketConnection *ws, GError *e, gpointer user_data)
{
  Forward *f = user_data;

  if (f->ws_error == NULL)
    f->ws_error = g_error_copy (e);
}

static gboolean
forward_hangup (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Forward *f = user_data;

  forward_local_failed (f);
  g_main_context_wakeup (f->context);
  return G_SOURCE_REMOVE;
}

/* An attach's local side stopped sending: standard input ends; a local
 * side that closed altogether (hung up) detaches. */
static void
forward_local_ended (Forward *f)
{
  GSocket *socket;

  if (f->attach_stdin)
    channel_stream_close_channel (f->cs, K8S_CHANNEL_STDIN);
  if (f->hangup != NULL || !G_IS_SOCKET_CONNECTION (f->local))
    return;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (f->local));
  f->hangup = g_socket_create_source (socket, G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (f->hangup, (GSourceFunc)(void (*) (void))forward_hangup, f, NULL);
  g_source_attach (f->hangup, f->context);
}

static void forward_read_local (Forward *f);

static gboolean
forward_ws_ready (GObject *stream, gpointer user_data)
{
  Forward *f = user_data;

  g_clear_pointer (&f->ws_wait, g_source_unref);
  forward_read_local (f);
  return G_SOURCE_REMOVE;
}

static void
forward_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Forward *f = user_data;
  gssize   n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  f->reading = FALSE;
  if (n <= 0)
    {
      f->local_eof = TRUE;
      if (f->attach)
        forward_local_ended (f);
      g_main_context_wakeup (f->context);
      return;
    }
  if (!f->attach || f->attach_stdin)
    channel_stream_send_frame (f->cs, f->buf, n + 1);
  forward_read_local (f);
}

/* Reads the local socket while the WebSocket queues at most
 * FORWARD_HIGH_WATER (libsoup queues, without a limit, whatever it cannot
 * write), then from FORWARD_LOW_WATER on; a stream that does not count
 * waits for its socket to take more instead. */
static void
forward_read_local (Forward *f)
{
  GOutputStream *ws_out;
  gint64         queued;

  if (f->reading || f->ws_wait != NULL || f->local_eof || f->local_failed
      || g_cancellable_is_cancelled (f->io_cancel))
    return;
  queued = channel_stream_queued (f->cs);
  if (queued > FORWARD_HIGH_WATER || (f->ws_full && queued > FORWARD_LOW_WATER))
    {
      f->ws_full = TRUE;
      return;
    }
  f->ws_full = FALSE;
  ws_out = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (f->cs->ws));
  if (queued < 0 && G_IS_POLLABLE_OUTPUT_STREAM (ws_out)
      && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (ws_out))
      && !g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (ws_out)))
    {
      f->ws_wait = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (ws_out), NULL);
      g_source_set_callback (f->ws_wait, (GSourceFunc)(void (*) (void))forward_ws_ready, f, NULL);
      g_source_attach (f->ws_wait, f->context);
      return;
    }
  f->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (f->local), f->buf + 1, FORWARD_READ_SIZE,
                             G_PRIORITY_DEFAULT, f->io_cancel, forward_read_cb, f);
}

/* The WebSocket wrote more (inside libsoup's write: the read it may start
 * completes later, from the main loop). */
static void
forward_ws_progress (gpointer user_data)
{
  Forward *f = user_data;

  if (f->ws_full)
    forward_read_local (f);
}

static gboolean
forward_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Forward *f = user_data;

  f->cancelled = TRUE;
  g_main_context_wakeup (f->context);
  return G_SOURCE_REMOVE;
}

static void
forward_drop_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Joins @local to the open stream @cs: what the local side sends goes out
 * on @channel. @cancellable (may be NULL) ends it and bounds blocking
 * writes. */
static void
forward_start (Forward       *f,
               ChannelStream *cs,
               GIOStream     *local,
               guint8         channel,
               GCancellable  *cancellable)
{
  f->cs = cs;
  f->context = cs->context;
  f->local = local;
  f->out = g_io_stream_get_output_stream (local);
  f->out_pollable = G_IS_POLLABLE_OUTPUT_STREAM (f->out)
                    && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (f->out));
  f->remote_error = g_string_new (NULL);
  f->cancellable = cancellable;
  f->io_cancel = g_cancellable_new ();
  f->buf = g_malloc (FORWARD_READ_SIZE + 1);
  f->buf[0] = channel;
  g_queue_init (&f->pending);
  channel_stream_connect (cs, G_CALLBACK (forward_message), G_CALLBACK (forward_closed),
                          G_CALLBACK (forward_error), cancellable, forward_cancelled, f);
  k8s_ws_on_progress (cs->ws, forward_ws_progress, f);
  forward_read_local (f);
}

/* Stops reading and waiting, closes the local side and ends the stream;
 * the outcome stays in @f until forward_clear(). */
static void
forward_stop (Forward *f)
{
  g_cancellable_cancel (f->io_cancel);
  while (f->reading)
    g_main_context_iteration (f->context, TRUE);
  k8s_ws_on_progress (f->cs->ws, NULL, NULL);
  forward_drop_source (&f->out_wait);
  forward_drop_source (&f->ws_wait);
  forward_drop_source (&f->hangup);
  g_io_stream_close (f->local, NULL, NULL);
  /* The closing handshake reads the stream again; data is dropped now. */
  f->finishing = TRUE;
  if (f->paused)
    channel_stream_pause (f->cs, FALSE);
  channel_stream_end (f->cs, f);
}

static void
forward_clear (Forward *f)
{
  g_queue_clear_full (&f->pending, (GDestroyNotify)g_bytes_unref);
  g_string_free (f->remote_error, TRUE);
  g_clear_error (&f->ws_error);
  g_clear_object (&f->io_cancel);
  g_free (f->buf);
}

static gboolean
k8s_port_forward_connection (HeroVirtClusterProvider *provider,
                             HeroVirtExecutor        *executor,
                             const char *namespace,
                             const char   *pod,
                             guint         port,
                             GIOStream    *connection,
                             GCancellable *cancellable,
                             GError      **error)
{
  HeroVirtK8sProvider     *self = HERO_VIRT_K8S_PROVIDER (provider);
  static const char *const protocols[] = { "v4.channel.k8s.io", NULL };
  ChannelStream            cs;
  g_autofree char         *path = NULL, *query = NULL;
  gboolean                 ok = TRUE;
  Forward                  f = { 0 };

  if (port == 0 || port > 65535)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Not a port: %u (1 to 65535)", port);
      g_io_stream_close (connection, NULL, NULL);
      return FALSE;
    }
  if ((path = pod_subresource_path (self, namespace, pod, NULL, "portforward", error)) == NULL)
    {
      g_io_stream_close (connection, NULL, NULL);
      return FALSE;
    }
  query = g_strdup_printf ("ports=%u", port);

  if (!channel_stream_open (self, &cs, namespace, pod, NULL, path, query, protocols, cancellable,
                            error))
    {
      g_io_stream_close (connection, NULL, NULL);
      return FALSE;
    }
  f.port = (guint16)port;
  /* channel 0: the data channel of the first (only) port */
  forward_start (&f, &cs, connection, 0, cancellable);

  /* Until either side is done; then what the pod sent is written out, and
   * what the local side sent leaves the WebSocket's queue (the close would
   * go out before it). */
  while (!f.closed && !f.local_eof && !f.local_failed && !f.cancelled && !f.bad_frame
         && f.remote_error->len == 0)
    g_main_context_iteration (cs.context, TRUE);
  while (!f.cancelled && !f.local_failed && f.queued > 0)
    g_main_context_iteration (cs.context, TRUE);
  while (!f.cancelled && !f.closed && !f.bad_frame && f.remote_error->len == 0
         && channel_stream_queued (&cs) > 0)
    g_main_context_iteration (cs.context, TRUE);
  forward_stop (&f);

  if (f.cancelled)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      ok = FALSE;
    }
  else if (f.remote_error->len > 0)
    {
      g_autofree char *text = g_utf8_make_valid (f.remote_error->str, f.remote_error->len);

      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK, "Port %u of the pod %s: %s",
                   port, pod, g_strstrip (text));
      ok = FALSE;
    }
  else if (f.bad_frame)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "The API server's port-forward stream for port %u of %s does not start with "
                   "the port",
                   port, pod);
      ok = FALSE;
    }
  forward_clear (&f);
  return ok;
}

/* An attach running in its own thread until the server or the local side
 * ends it. */
typedef struct
{
  ChannelStream cs;
  GIOStream    *local;
  gboolean      want_stdin;
  char         *what; /* namespace/pod for the log */
} Attach;

static gpointer
attach_run (gpointer data)
{
  Attach *a = data;
  Forward f = { 0 };

  g_main_context_push_thread_default (a->cs.context);
  f.attach = TRUE;
  f.attach_stdin = a->want_stdin;
  /* It reads even without stdin (and drops it): the local end's close
   * detaches. */
  forward_start (&f, &a->cs, a->local, K8S_CHANNEL_STDIN, NULL);

  /* Until the process ends (the server closes) or the caller detaches;
   * then what it wrote is written out. */
  while (!f.closed && !f.local_failed)
    g_main_context_iteration (a->cs.context, TRUE);
  while (!f.local_failed && f.queued > 0)
    g_main_context_iteration (a->cs.context, TRUE);
  forward_stop (&f);
  if (f.remote_error->len > 0)
    {
      g_autofree char *text = g_utf8_make_valid (f.remote_error->str, f.remote_error->len);

      g_debug ("attach to %s ended: %s", a->what, text);
    }
  forward_clear (&f);
  g_object_unref (a->local);
  g_free (a->what);
  g_free (a);
  return NULL;
}

static GIOStream *
k8s_attach (HeroVirtClusterProvider *provider,
            HeroVirtExecutor        *executor,
            const char *namespace,
            const char   *pod,
            const char   *container,
            gboolean      want_stdin,
            gboolean      tty,
            GCancellable *cancellable,
            GError      **error)
{
  HeroVirtK8sProvider     *self = HERO_VIRT_K8S_PROVIDER (provider);
  static const char *const protocols[] = { "v5.channel.k8s.io", "v4.channel.k8s.io", NULL };
  static const char *const no_argv[] = { NULL };
  g_autofree char         *path = NULL, *query = NULL;
  g_autoptr (GSocket) ours = NULL;
  g_autoptr (GSocket) theirs = NULL;
  g_autoptr (GSocketConnection) user = NULL;
  Attach *a;
  int     fds[2];

  if ((path = pod_subresource_path (self, namespace, pod, container, "attach", error)) == NULL)
    return NULL;
  if (!ensure_ready (self, error))
    return NULL;
  if (namespace == NULL)
  namespace = default_namespace (self);
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    {
      int e = errno;

      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not make a socket pair: %s",
                   g_strerror (e));
      return NULL;
    }
  ours = g_socket_new_from_fd (fds[0], NULL);
  theirs = g_socket_new_from_fd (fds[1], NULL);
  if (ours == NULL || theirs == NULL)
    {
      if (ours == NULL)
        close (fds[0]);
      if (theirs == NULL)
        close (fds[1]);
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                           "Could not make a socket pair");
      return NULL;
    }
  query = k8s_exec_query (no_argv, container, want_stdin, TRUE, tty);

  a = g_new0 (Attach, 1);
  if (!channel_stream_open (self, &a->cs, namespace, pod, container, path, query, protocols,
                            cancellable, error))
    {
      g_free (a);
      return NULL;
    }
  /* The stream runs in the attach's thread from now on. */
  g_main_context_pop_thread_default (a->cs.context);
  a->local = G_IO_STREAM (g_socket_connection_factory_create_connection (ours));
  a->want_stdin = want_stdin;
  a->what = g_strdup_printf ("%s/%s", namespace, pod);
  user = g_socket_connection_factory_create_connection (theirs);
  g_thread_unref (g_thread_new ("hero-virt-k8s-attach", attach_run, a));
  return G_IO_STREAM (g_steal_pointer (&user));
}

/* -- following logs -- */

static GInputStream *
k8s_logs_stream (HeroVirtClusterProvider *provider,
                 HeroVirtExecutor        *executor,
                 const char *namespace,
                 const char   *pod,
                 const char   *container,
                 gboolean      follow,
                 gint64        tail_lines,
                 gint64        since_seconds,
                 gboolean      timestamps,
                 gboolean      previous,
                 GCancellable *cancellable,
                 GError      **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autofree char     *path = NULL;
  g_autoptr (GString) q = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  Request req = { "GET", NULL, NULL, NULL, NULL, TRUE };
  guint   status = 0;

  if ((path = pod_subresource_path (self, namespace, pod, container, "log", error)) == NULL)
    return NULL;
  if (!ensure_ready (self, error))
    return NULL;
  query_add (q, "container", container);
  if (follow)
    g_string_append_printf (q, "%sfollow=true", q->len ? "&" : "");
  if (tail_lines >= 0)
    g_string_append_printf (q, "%stailLines=%" G_GINT64_FORMAT, q->len ? "&" : "", tail_lines);
  if (since_seconds > 0)
    g_string_append_printf (q, "%ssinceSeconds=%" G_GINT64_FORMAT, q->len ? "&" : "",
                            since_seconds);
  if (timestamps)
    g_string_append_printf (q, "%stimestamps=true", q->len ? "&" : "");
  if (previous)
    g_string_append_printf (q, "%sprevious=true", q->len ? "&" : "");
  req.path = path;
  req.query = q->len ? q->str : NULL;
  body = send_request (self, &req, &status, &stream, &msg, cancellable, error);
  if (body == NULL)
    return NULL;
  if (stream == NULL)
    {
      g_autoptr (JsonNode) node = parse_json (body, NULL);

      hero_virt_kube_set_error_from_status (error, status, node);
      return NULL;
    }
  /* The message must live as long as its body stream. */
  g_object_set_data_full (G_OBJECT (stream), "hero-virt-k8s-message", g_steal_pointer (&msg),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (stream), "hero-virt-k8s-provider", g_object_ref (self),
                          g_object_unref);
  return g_steal_pointer (&stream);
}

static gboolean
k8s_namespace_create (HeroVirtClusterProvider *provider,
                      HeroVirtExecutor        *executor,
                      const char              *name,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (provider);
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  g_autoptr (JsonNode) ns = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *status;

  if (!hero_virt_kube_validate_dns1123_label (name, error))
    return FALSE;
  ns = hero_virt_kube_resource_new (kind, NULL, name);
  created = k8s_create (provider, executor, kind, NULL, ns, cancellable, &local_error);
  if (created != NULL)
    return TRUE;
  if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);
  g_clear_pointer (&created, json_node_unref);
  created = k8s_get (provider, executor, kind, NULL, name, cancellable, error);
  if (created == NULL)
    return FALSE;
  status = JSON_NODE_HOLDS_OBJECT (created)
                   && json_object_has_member (json_node_get_object (created), "status")
               ? json_object_get_object_member (json_node_get_object (created), "status")
               : NULL;
  if (status
      && g_strcmp0 (json_object_get_string_member_with_default (status, "phase", NULL),
                    "Terminating")
             == 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CONFLICT,
                   "The namespace %s is being deleted (Terminating)", name);
      return FALSE;
    }
  (void)self;
  return TRUE;
}

static gboolean
k8s_namespace_delete (HeroVirtClusterProvider *provider,
                      HeroVirtExecutor        *executor,
                      const char              *name,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");

  return k8s_delete (provider, executor, kind, NULL, name, HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND,
                     -1, cancellable, error);
}

static void
hero_virt_k8s_provider_iface_init (HeroVirtClusterProviderInterface *iface)
{
  iface->is_available = k8s_is_available;
  iface->resolve_kind = k8s_resolve_kind;
  iface->create = k8s_create;
  iface->get = k8s_get;
  iface->list = k8s_list;
  iface->replace = k8s_replace;
  iface->apply = k8s_apply;
  iface->patch = k8s_patch;
  iface->delete = k8s_delete;
  iface->watch = k8s_watch;
  iface->logs = k8s_logs;
  iface->logs_stream = k8s_logs_stream;
  iface->exec = k8s_exec;
  iface->exec_command = k8s_exec_command;
  iface->port_forward_connection = k8s_port_forward_connection;
  iface->attach = k8s_attach;
  iface->namespace_create = k8s_namespace_create;
  iface->namespace_delete = k8s_namespace_delete;
}

/* ---- GObject ------------------------------------------------------------ */

static void
hero_virt_k8s_provider_finalize (GObject *object)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (object);

  g_free (self->kubeconfig);
  g_free (self->context);
  g_clear_object (&self->config);
  g_clear_pointer (&self->info, k8s_conn_info_free);
  g_clear_object (&self->session);
  g_clear_object (&self->watch_session);
  g_clear_pointer (&self->http, k8s_http_free);
  g_clear_pointer (&self->cas, g_ptr_array_unref);
  g_clear_object (&self->identity);
  g_clear_object (&self->client_cert);
  if (self->file_token)
    memset (self->file_token, 0, strlen (self->file_token));
  g_free (self->file_token);
  if (self->exec_token)
    memset (self->exec_token, 0, strlen (self->exec_token));
  g_free (self->exec_token);
  g_clear_object (&self->exec_cert);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (hero_virt_k8s_provider_parent_class)->finalize (object);
}

static void
hero_virt_k8s_provider_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_KUBECONFIG:
      g_free (self->kubeconfig);
      self->kubeconfig = g_value_dup_string (value);
      break;
    case PROP_CONTEXT:
      g_free (self->context);
      self->context = g_value_dup_string (value);
      break;
    case PROP_CONFIG:
      if (g_value_get_object (value) != NULL)
        {
          g_clear_object (&self->config);
          self->config = hero_virt_kubernetes_config_copy (g_value_get_object (value));
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_k8s_provider_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtK8sProvider *self = HERO_VIRT_K8S_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_KUBECONFIG:
      g_value_set_string (value, self->kubeconfig);
      break;
    case PROP_CONTEXT:
      g_value_set_string (value, self->context);
      break;
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_k8s_provider_class_init (HeroVirtK8sProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_k8s_provider_finalize;
  object_class->set_property = hero_virt_k8s_provider_set_property;
  object_class->get_property = hero_virt_k8s_provider_get_property;
  properties[PROP_KUBECONFIG]
      = g_param_spec_string ("kubeconfig", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT]
      = g_param_spec_string ("context", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG]
      = g_param_spec_object ("config", NULL, NULL, HERO_VIRT_TYPE_KUBERNETES_CONFIG,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_k8s_provider_class_finalize (HeroVirtK8sProviderClass *klass)
{
}

static void
hero_virt_k8s_provider_init (HeroVirtK8sProvider *self)
{
  g_mutex_init (&self->lock);
  self->config = hero_virt_kubernetes_config_new ();
}

static gboolean
k8s_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_k8s_provider_register_type (G_TYPE_MODULE (plugin));
  k8s_ws_io_register_types (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_CLUSTER, "k8s",
                                 HERO_VIRT_TYPE_K8S_PROVIDER, 100);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("k8s",
                         "Kubernetes: the API server's REST API over libsoup, from kubeconfig or "
                         "in-cluster, no kubectl",
                         PACKAGE_VERSION_K8S,
                         k8s_plugin_register)
