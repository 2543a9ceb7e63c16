/* k8s-config.c: kubeconfig files (YAML, merged as kubectl merges them)
 * and the in-cluster service account
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-K8s"

#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "k8s-config.h"

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

void
k8s_conn_info_free (K8sConnInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->context_name);
  g_free (info->server);
  g_free (info->namespace);
  g_free (info->ca_pem);
  g_free (info->tls_server_name);
  g_free (info->cert_pem);
  g_free (info->key_pem);
  if (info->token)
    memset (info->token, 0, strlen (info->token));
  g_free (info->token);
  g_free (info->token_file);
  g_free (info->username);
  if (info->password)
    memset (info->password, 0, strlen (info->password));
  g_free (info->password);
  g_strfreev (info->exec_argv);
  g_strfreev (info->exec_env);
  g_free (info->exec_api_version);
  g_free (info);
}

/* ---- YAML ---------------------------------------------------------------- */

GPtrArray *
k8s_yaml_parse_all (const char *data, gsize length, GError **error)
{
  return hero_virt_kube_parse_yaml (data, (gssize)length, error);
}

/* The one document of a YAML file; an empty file is an empty object. */
JsonNode *
k8s_yaml_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (GPtrArray) docs = k8s_yaml_parse_all (data, length, error);

  if (docs == NULL)
    return NULL;
  if (docs->len == 0)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, json_object_new ());
      return node;
    }
  return json_node_ref (g_ptr_array_index (docs, 0));
}

/* ---- kubeconfig ------------------------------------------------------ */

static JsonObject *
object_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
array_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
str_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return *json_node_get_string (n) ? json_node_get_string (n) : NULL;
}

static gboolean
bool_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (n), "true") == 0;
  return FALSE;
}

/* The merged view: named entries, each with the directory of the file
 * that defined it (relative paths resolve against it). */
typedef struct
{
  JsonObject *entry;
  char       *dir;
} Named;

static void
named_free (Named *n)
{
  json_object_unref (n->entry);
  g_free (n->dir);
  g_free (n);
}

typedef struct
{
  char       *current_context;
  GHashTable *clusters, *users, *contexts; /* name -> Named */
  GPtrArray  *roots;
  guint       files;
} Merged;

static void
merged_clear (Merged *m)
{
  g_free (m->current_context);
  g_clear_pointer (&m->clusters, g_hash_table_unref);
  g_clear_pointer (&m->users, g_hash_table_unref);
  g_clear_pointer (&m->contexts, g_hash_table_unref);
  g_clear_pointer (&m->roots, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Merged, merged_clear)

static void
merge_named (GHashTable *table,
             JsonObject *root,
             const char *list,
             const char *inner,
             const char *dir)
{
  JsonArray *array = array_member (root, list);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode   *e = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *name = str_member (o, "name");
      JsonObject *value = object_member (o, inner);
      Named      *n;

      /* kubectl ignores empty names; the first file to define a name wins. */
      if (name == NULL || g_hash_table_contains (table, name))
        continue;
      n = g_new0 (Named, 1);
      n->entry = value ? json_object_ref (value) : json_object_new ();
      n->dir = g_strdup (dir);
      g_hash_table_insert (table, g_strdup (name), n);
    }
}

static gboolean
merge_file (Merged *m, const char *path, gboolean must_exist, GError **error)
{
  g_autofree char *data = NULL;
  gsize            length = 0;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  GStatBuf         st;

  if (g_stat (path, &st) != 0)
    {
      if (!must_exist)
        return TRUE; /* kubectl skips missing files in KUBECONFIG */
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "The kubeconfig %s does not exist", path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The kubeconfig %s is not a regular file", path);
      return FALSE;
    }
  if (st.st_size > K8S_MAX_CONFIG_BYTES)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The kubeconfig %s is too large (%" G_GINT64_FORMAT " bytes, at most %d)", path,
                   (gint64)st.st_size, K8S_MAX_CONFIG_BYTES);
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot read the kubeconfig %s: %s",
                   path, local_error->message);
      return FALSE;
    }
  root = k8s_yaml_parse (data, length, &local_error);
  if (root == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "The kubeconfig %s: %s", path,
                   local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "The kubeconfig %s is not a YAML mapping", path);
      return FALSE;
    }
  {
    g_autofree char *abs = g_canonicalize_filename (path, NULL);

    dir = g_path_get_dirname (abs);
  }
  {
    JsonObject *o = json_node_get_object (root);
    const char *cc = str_member (o, "current-context");

    if (m->current_context == NULL && cc != NULL)
      m->current_context = g_strdup (cc);
    merge_named (m->clusters, o, "clusters", "cluster", dir);
    merge_named (m->users, o, "users", "user", dir);
    merge_named (m->contexts, o, "contexts", "context", dir);
  }
  m->files++;
  g_ptr_array_add (m->roots, g_steal_pointer (&root));
  return TRUE;
}

static char *
resolve_path (const char *dir, const char *path)
{
  if (path == NULL)
    return NULL;
  if (g_path_is_absolute (path))
    return g_strdup (path);
  if (path[0] == '~' && path[1] == '/')
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  return g_build_filename (dir, path, NULL);
}

/* A PEM field: *-data (base64) beats the file. */
static gboolean
read_pem (JsonObject *o,
          const char *dir,
          const char *file_field,
          const char *data_field,
          char      **out,
          GError    **error)
{
  const char *data = str_member (o, data_field);
  const char *file = str_member (o, file_field);

  if (data != NULL)
    {
      gsize              len = 0;
      g_autofree guchar *raw = g_base64_decode (data, &len);

      if (raw == NULL || len == 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The kubeconfig's %s is not valid base64", data_field);
          return FALSE;
        }
      *out = g_strndup ((const char *)raw, len);
      return TRUE;
    }
  if (file != NULL)
    {
      g_autofree char *path = resolve_path (dir, file);
      g_autoptr (GError) local_error = NULL;

      if (!g_file_get_contents (path, out, NULL, &local_error))
        {
          g_set_error (error, HERO_VIRT_ERROR,
                       g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                           ? HERO_VIRT_ERROR_NOT_FOUND
                           : HERO_VIRT_ERROR_IO,
                       "The kubeconfig's %s %s cannot be read: %s", file_field, path,
                       local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_server (K8sConnInfo *info, gboolean allow_http, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (info->server == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The kubeconfig's cluster for context \"%s\" has no server",
                   info->context_name ? info->context_name : "");
      return FALSE;
    }
  uri = g_uri_parse (info->server, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The kubeconfig's server \"%s\" is not an https:// URL", info->server);
      return FALSE;
    }
  if (g_strcmp0 (scheme, "http") == 0 && !allow_http)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The kubeconfig's server %s is plain http: credentials would travel in clear "
                   "text (opt in with HeroVirt.KubernetesConfig.with_insecure_http)",
                   info->server);
      return FALSE;
    }
  while (g_str_has_suffix (info->server, "/"))
    info->server[strlen (info->server) - 1] = '\0';
  return TRUE;
}

static K8sConnInfo *
load_in_cluster (gboolean allow_http, GError **error)
{
  const char *host = g_getenv ("KUBERNETES_SERVICE_HOST");
  const char *port = g_getenv ("KUBERNETES_SERVICE_PORT");
  const char *dir = g_getenv ("HERO_VIRT_K8S_SERVICE_ACCOUNT_DIR");
  g_autoptr (K8sConnInfo) info = g_new0 (K8sConnInfo, 1);
  g_autofree char *ns_path = NULL, *ca_path = NULL;
  g_autofree char *ns = NULL;

  if (dir == NULL)
    dir = SA_DIR;
  if (host == NULL || port == NULL || *host == '\0' || *port == '\0')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "No kubeconfig (KUBECONFIG, ~/.kube/config) and not in a cluster "
                   "(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT unset)");
      return NULL;
    }
  info->in_cluster = TRUE;
  info->context_name = g_strdup ("in-cluster");
  if (strchr (host, ':') != NULL)
    info->server = g_strdup_printf ("https://[%s]:%s", host, port);
  else
    info->server = g_strdup_printf ("https://%s:%s", host, port);
  info->token_file = g_build_filename (dir, "token", NULL);
  ca_path = g_build_filename (dir, "ca.crt", NULL);
  if (!g_file_get_contents (ca_path, &info->ca_pem, NULL, NULL))
    info->ca_pem = NULL;
  ns_path = g_build_filename (dir, "namespace", NULL);
  if (g_file_get_contents (ns_path, &ns, NULL, NULL))
    info->namespace = g_strdup (g_strstrip (ns));
  if (!g_file_test (info->token_file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "In a cluster but the service account token %s is missing", info->token_file);
      return NULL;
    }
  if (!check_server (info, allow_http, error))
    return NULL;
  return g_steal_pointer (&info);
}

static gboolean
load_exec (K8sConnInfo *info, JsonObject *exec, const char *dir, GError **error)
{
  const char *command = str_member (exec, "command");
  const char *api_version = str_member (exec, "apiVersion");
  JsonArray  *args = array_member (exec, "args");
  JsonArray  *env = array_member (exec, "env");
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) envv = g_ptr_array_new_with_free_func (g_free);

  if (command == NULL)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "The kubeconfig's exec credential plugin has no command");
      return FALSE;
    }
  if (api_version == NULL
      || (strcmp (api_version, "client.authentication.k8s.io/v1") != 0
          && strcmp (api_version, "client.authentication.k8s.io/v1beta1") != 0))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "The kubeconfig's exec credential plugin apiVersion \"%s\" is not supported "
                   "(client.authentication.k8s.io/v1 or v1beta1)",
                   api_version ? api_version : "");
      return FALSE;
    }
  if (strcmp (api_version, "client.authentication.k8s.io/v1") == 0
      && str_member (exec, "interactiveMode") == NULL)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "The kubeconfig's exec credential plugin needs interactiveMode "
                           "(required by client.authentication.k8s.io/v1)");
      return FALSE;
    }
  /* kubectl resolves a command with a slash against the kubeconfig's
   * directory; a bare name is looked up in PATH. */
  if (strchr (command, '/') != NULL)
    g_ptr_array_add (argv, resolve_path (dir, command));
  else
    g_ptr_array_add (argv, g_strdup (command));
  for (guint i = 0; args && i < json_array_get_length (args); i++)
    {
      JsonNode *a = json_array_get_element (args, i);

      if (json_node_get_value_type (a) != G_TYPE_STRING)
        {
          g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                               "The kubeconfig's exec credential plugin args must be strings");
          return FALSE;
        }
      g_ptr_array_add (argv, g_strdup (json_node_get_string (a)));
    }
  g_ptr_array_add (argv, NULL);
  for (guint i = 0; env && i < json_array_get_length (env); i++)
    {
      JsonNode   *e = json_array_get_element (env, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *name = str_member (o, "name");
      const char *value = o ? json_object_get_string_member_with_default (o, "value", "") : "";

      if (name == NULL || strchr (name, '=') != NULL)
        {
          g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                               "The kubeconfig's exec credential plugin env needs names");
          return FALSE;
        }
      g_ptr_array_add (envv, g_strdup_printf ("%s=%s", name, value ? value : ""));
    }
  g_ptr_array_add (envv, NULL);
  info->exec_argv = (char **)g_ptr_array_steal (argv, NULL);
  info->exec_env = (char **)g_ptr_array_steal (envv, NULL);
  info->exec_api_version = g_strdup (api_version);
  info->exec_provide_cluster_info = bool_member (exec, "provideClusterInfo");
  return TRUE;
}

K8sConnInfo *
k8s_conn_info_load (const char *kubeconfig,
                    const char *context,
                    gboolean    allow_http,
                    GError    **error)
{
  g_auto (Merged) m = { 0 };
  g_autoptr (K8sConnInfo) info = NULL;
  const char *env = g_getenv ("KUBECONFIG");
  Named      *ctx, *cluster, *user = NULL;
  const char *cluster_name, *user_name;

  m.clusters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)named_free);
  m.users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)named_free);
  m.contexts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)named_free);
  m.roots = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);

  if (kubeconfig != NULL)
    {
      if (!merge_file (&m, kubeconfig, TRUE, error))
        return NULL;
    }
  else if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) paths = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; paths[i]; i++)
        if (*paths[i] != '\0' && !merge_file (&m, paths[i], FALSE, error))
          return NULL;
    }
  else
    {
      g_autofree char *path = g_build_filename (g_get_home_dir (), ".kube", "config", NULL);

      if (!merge_file (&m, path, FALSE, error))
        return NULL;
    }

  if (m.files == 0 && context == NULL)
    return load_in_cluster (allow_http, error);

  if (context == NULL)
    context = m.current_context;
  if (context == NULL)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "The kubeconfig has no current-context and none was chosen");
      return NULL;
    }
  ctx = g_hash_table_lookup (m.contexts, context);
  if (ctx == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "The kubeconfig has no context \"%s\"", context);
      return NULL;
    }
  cluster_name = str_member (ctx->entry, "cluster");
  user_name = str_member (ctx->entry, "user");
  cluster = cluster_name ? g_hash_table_lookup (m.clusters, cluster_name) : NULL;
  if (cluster == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "The kubeconfig's context \"%s\" names cluster \"%s\", which is not defined",
                   context, cluster_name ? cluster_name : "");
      return NULL;
    }
  if (user_name != NULL)
    {
      user = g_hash_table_lookup (m.users, user_name);
      if (user == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                       "The kubeconfig's context \"%s\" names user \"%s\", which is not defined",
                       context, user_name);
          return NULL;
        }
    }

  info = g_new0 (K8sConnInfo, 1);
  info->context_name = g_strdup (context);
  info->namespace = g_strdup (str_member (ctx->entry, "namespace"));
  info->server = g_strdup (str_member (cluster->entry, "server"));
  info->insecure = bool_member (cluster->entry, "insecure-skip-tls-verify");
  info->tls_server_name = g_strdup (str_member (cluster->entry, "tls-server-name"));
  if (!check_server (info, allow_http, error))
    return NULL;
  if (!read_pem (cluster->entry, cluster->dir, "certificate-authority",
                 "certificate-authority-data", &info->ca_pem, error))
    return NULL;
  if (user != NULL)
    {
      JsonObject *u = user->entry;
      JsonObject *exec = object_member (u, "exec");
      const char *token_file = str_member (u, "tokenFile");

      if (!read_pem (u, user->dir, "client-certificate", "client-certificate-data", &info->cert_pem,
                     error)
          || !read_pem (u, user->dir, "client-key", "client-key-data", &info->key_pem, error))
        return NULL;
      if ((info->cert_pem == NULL) != (info->key_pem == NULL))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The kubeconfig's user \"%s\" has a client certificate without its key, or "
                       "a key without its certificate",
                       user_name);
          return NULL;
        }
      info->token = g_strdup (str_member (u, "token"));
      if (info->token == NULL && token_file != NULL)
        {
          info->token_file = resolve_path (user->dir, token_file);
          if (!g_file_test (info->token_file, G_FILE_TEST_IS_REGULAR))
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                           "The kubeconfig's tokenFile %s does not exist", info->token_file);
              return NULL;
            }
        }
      info->username = g_strdup (str_member (u, "username"));
      info->password = g_strdup (str_member (u, "password"));
      if (exec != NULL && !load_exec (info, exec, user->dir, error))
        return NULL;
    }
  return g_steal_pointer (&info);
}
