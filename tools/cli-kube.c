/* cli-kube.c: hero-virt kube get|apply|delete|wait|counts|ns
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every command goes through HeroVirt.KubernetesManager (the k8s plugin,
 * no kubectl). Other files add subcommands to the family: see cli-kube.h.
 */
#include "cli-kube.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

/* ---- options shared by the family ---------------------------------------- */

static char    *opt_namespace;
static char    *opt_context;
static char    *opt_kubeconfig;
static gboolean opt_json;

static const GOptionEntry common_entries[]
    = { { "namespace", 'n', 0, G_OPTION_ARG_STRING, &opt_namespace,
          "The namespace (default: the kubeconfig context's, else default)", "NAME" },
        { "context", 0, 0, G_OPTION_ARG_STRING, &opt_context,
          "The kubeconfig context (default: current-context)", "NAME" },
        { "kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &opt_kubeconfig,
          "Read this kubeconfig alone (default: $KUBECONFIG, else ~/.kube/config)", "FILE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON", NULL },
        { NULL } };

gboolean
hv_cli_kube_parse_args (const char         *command_path,
                        const char         *parameter_string,
                        const char         *summary,
                        const GOptionEntry *entries,
                        int                *argc,
                        char             ***argv,
                        int                 min_positional,
                        int                 max_positional,
                        int                *out_status)
{
  guint                    n_own = 0, n_common = G_N_ELEMENTS (common_entries) - 1;
  g_autofree GOptionEntry *all = NULL;

  while (entries != NULL && entries[n_own].long_name != NULL)
    n_own++;
  all = g_new0 (GOptionEntry, n_own + n_common + 1);
  if (n_own > 0)
    memcpy (all, entries, n_own * sizeof (GOptionEntry));
  memcpy (all + n_own, common_entries, n_common * sizeof (GOptionEntry));
  return hv_cli_parse_args (command_path, parameter_string, summary, all, argc, argv,
                            min_positional, max_positional, out_status);
}

HeroVirtKubernetesManager *
hv_cli_kube_manager (GError **error)
{
  return hero_virt_kubernetes_manager_new_full (opt_namespace, opt_kubeconfig, opt_context, NULL,
                                                error);
}

const char *
hv_cli_kube_get_namespace (void)
{
  return opt_namespace;
}

gboolean
hv_cli_kube_get_json (void)
{
  return opt_json;
}

/* ---- kinds ---------------------------------------------------------------- */

static const struct
{
  const char *names; /* plural first, then the singular and short names */
  const char *api_version;
  const char *kind;
} kinds[] = {
  { "pods pod po", "v1", "Pod" },
  { "services service svc", "v1", "Service" },
  { "deployments deployment deploy", "apps/v1", "Deployment" },
  { "configmaps configmap cm", "v1", "ConfigMap" },
  { "secrets secret", "v1", "Secret" },
  { "namespaces namespace ns", "v1", "Namespace" },
  { "replicasets replicaset rs", "apps/v1", "ReplicaSet" },
  { "serviceaccounts serviceaccount sa", "v1", "ServiceAccount" },
  { "endpoints endpoint ep", "v1", "Endpoints" },
  { "events event ev", "v1", "Event" },
  { "nodes node no", "v1", "Node" },
  { "persistentvolumeclaims persistentvolumeclaim pvc", "v1", "PersistentVolumeClaim" },
  { "persistentvolumes persistentvolume pv", "v1", "PersistentVolume" },
  { "statefulsets statefulset sts", "apps/v1", "StatefulSet" },
  { "daemonsets daemonset ds", "apps/v1", "DaemonSet" },
  { "jobs job", "batch/v1", "Job" },
  { "cronjobs cronjob cj", "batch/v1", "CronJob" },
  { "ingresses ingress ing", "networking.k8s.io/v1", "Ingress" },
  { "customresourcedefinitions customresourcedefinition crd crds", "apiextensions.k8s.io/v1",
    "CustomResourceDefinition" },
  { "ingressroutes ingressroute", "traefik.io/v1alpha1", "IngressRoute" },
  { "middlewares middleware", "traefik.io/v1alpha1", "Middleware" },
  { "tlsoptions tlsoption", "traefik.io/v1alpha1", "TLSOption" },
};

static const char *
api_group (const char *api_version)
{
  const char *slash = strchr (api_version, '/');
  static char group[256];

  if (slash == NULL)
    return "";
  g_strlcpy (group, api_version, MIN ((gsize)(slash - api_version) + 1, sizeof group));
  return group;
}

HeroVirtClusterKind *
hv_cli_kube_resolve_kind (HeroVirtKubernetesManager *km,
                          const char                *text,
                          const char                *api_version,
                          GError                   **error)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char      *dot = strchr (lower, '.');
  g_autofree char *base = dot ? g_strndup (lower, dot - lower) : g_strdup (lower);
  const char      *group = dot ? dot + 1 : NULL;

  if (api_version == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_auto (GStrv) names = g_strsplit (kinds[i].names, " ", -1);
        g_autofree char *kind_lower = g_ascii_strdown (kinds[i].kind, -1);
        gboolean         match
            = g_strv_contains ((const char *const *)names, base) || strcmp (kind_lower, base) == 0;

        if (!match || (group != NULL && strcmp (group, api_group (kinds[i].api_version)) != 0))
          continue;
        {
          HeroVirtClusterKind *kind
              = hero_virt_cluster_kind_lookup (kinds[i].api_version, kinds[i].kind);

          if (kind != NULL)
            return kind;
          return hero_virt_kubernetes_manager_resolve_kind (km, kinds[i].api_version, kinds[i].kind,
                                                            hv_cli_get_cancellable (), error);
        }
      }
  if (api_version != NULL)
    return hero_virt_kubernetes_manager_resolve_kind (km, api_version, text,
                                                      hv_cli_get_cancellable (), error);
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Unknown kind \"%s\": use a name such as pods, svc, deployments.apps, or give "
               "the Kind with --api-version (e.g. --api-version example.com/v1 Widget)",
               text);
  return NULL;
}

/* "KIND/NAME" or "KIND NAME": the kind and the name. */
static gboolean
split_ref (int argc, char **argv, int first, char **kind, char **name)
{
  const char *slash;

  if (argc - first == 1 && (slash = strchr (argv[first], '/')) != NULL && slash != argv[first]
      && slash[1] != '\0')
    {
      *kind = g_strndup (argv[first], slash - argv[first]);
      *name = g_strdup (slash + 1);
      return TRUE;
    }
  if (argc - first == 2 && strchr (argv[first], '/') == NULL)
    {
      *kind = g_strdup (argv[first]);
      *name = g_strdup (argv[first + 1]);
      return TRUE;
    }
  return FALSE;
}

static char *
kind_lower (HeroVirtClusterKind *kind)
{
  return g_ascii_strdown (hero_virt_cluster_kind_get_kind (kind), -1);
}

gboolean
hv_cli_kube_parse_duration (const char *text, guint *out_ms, GError **error)
{
  char   *end = NULL;
  double  value;
  guint64 ms;

  if (text == NULL || !g_ascii_isdigit (*text))
    goto invalid;
  value = g_ascii_strtod (text, &end);
  if (*end == '\0' || strcmp (end, "s") == 0)
    value *= 1000;
  else if (strcmp (end, "ms") == 0)
    ;
  else if (strcmp (end, "m") == 0)
    value *= 60 * 1000;
  else if (strcmp (end, "h") == 0)
    value *= 3600 * 1000;
  else
    goto invalid;
  if (value > G_MAXUINT)
    goto invalid;
  ms = (guint64)value;
  *out_ms = (guint)ms;
  return TRUE;

invalid:
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Invalid duration \"%s\": write 30s, 2m, 1h, 500ms or a number of seconds",
               text ? text : "");
  return FALSE;
}

/* ---- tables ---------------------------------------------------------------- */

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
member_string (JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : fallback;
}

static gint64
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
             ? json_node_get_int (n)
             : 0;
}

static char *
age (JsonObject *meta)
{
  const char *created = member_string (meta, "creationTimestamp", NULL);
  g_autoptr (GDateTime) then = created ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  gint64 s;

  if (then == NULL)
    return g_strdup ("<unknown>");
  s = MAX (0, g_date_time_difference (now, then) / G_USEC_PER_SEC);
  if (s < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
  if (s < 3 * 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", s / 60);
  if (s < 2 * 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", s / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT "d", s / 86400);
}

static guint
object_size (JsonObject *o, const char *name)
{
  JsonObject *m = member_object (o, name);

  return m ? json_object_get_size (m) : 0;
}

/* One row of cells for @item, in the columns of its kind. */
static GStrv
row_for (const char *kind, JsonObject *item)
{
  JsonObject      *meta = member_object (item, "metadata");
  JsonObject      *spec = member_object (item, "spec");
  JsonObject      *status = member_object (item, "status");
  GStrvBuilder    *b = g_strv_builder_new ();
  g_autofree char *when = age (meta);
  GStrv            row;

  g_strv_builder_add (b, member_string (meta, "name", ""));
  if (strcmp (kind, "Pod") == 0)
    {
      JsonArray       *containers = member_array (spec, "containers");
      JsonArray       *statuses = member_array (status, "containerStatuses");
      guint            ready = 0, total = containers ? json_array_get_length (containers) : 0;
      gint64           restarts = 0;
      g_autofree char *ready_text = NULL;
      g_autofree char *restarts_text = NULL;

      for (guint i = 0; statuses && i < json_array_get_length (statuses); i++)
        {
          JsonObject *cs = json_array_get_object_element (statuses, i);

          ready += json_object_get_boolean_member_with_default (cs, "ready", FALSE);
          restarts += member_int (cs, "restartCount");
        }
      ready_text = g_strdup_printf ("%u/%u", ready, total);
      restarts_text = g_strdup_printf ("%" G_GINT64_FORMAT, restarts);
      g_strv_builder_add (b, ready_text);
      g_strv_builder_add (b, json_object_has_member (meta, "deletionTimestamp")
                                 ? "Terminating"
                                 : member_string (status, "phase", "Unknown"));
      g_strv_builder_add (b, restarts_text);
    }
  else if (strcmp (kind, "Service") == 0)
    {
      JsonArray *ports = member_array (spec, "ports");
      g_autoptr (GString) text = g_string_new (NULL);

      for (guint i = 0; ports && i < json_array_get_length (ports); i++)
        {
          JsonObject *p = json_array_get_object_element (ports, i);

          g_string_append_printf (text, "%s%" G_GINT64_FORMAT "/%s", i ? "," : "",
                                  member_int (p, "port"), member_string (p, "protocol", "TCP"));
        }
      g_strv_builder_add (b, member_string (spec, "type", "ClusterIP"));
      g_strv_builder_add (b, member_string (spec, "clusterIP", "<none>"));
      g_strv_builder_add (b, text->len ? text->str : "<none>");
    }
  else if (strcmp (kind, "Deployment") == 0)
    {
      g_autofree char *ready = g_strdup_printf (
          "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, member_int (status, "readyReplicas"),
          json_object_has_member (spec ? spec : item, "replicas") ? member_int (spec, "replicas")
                                                                  : 1);
      g_autofree char *updated
          = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (status, "updatedReplicas"));
      g_autofree char *available
          = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (status, "availableReplicas"));

      g_strv_builder_add (b, ready);
      g_strv_builder_add (b, updated);
      g_strv_builder_add (b, available);
    }
  else if (strcmp (kind, "ConfigMap") == 0)
    {
      g_autofree char *n
          = g_strdup_printf ("%u", object_size (item, "data") + object_size (item, "binaryData"));
      g_strv_builder_add (b, n);
    }
  else if (strcmp (kind, "Secret") == 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", object_size (item, "data"));

      g_strv_builder_add (b, member_string (item, "type", "Opaque"));
      g_strv_builder_add (b, n);
    }
  else if (strcmp (kind, "Namespace") == 0)
    g_strv_builder_add (b, member_string (status, "phase", "Active"));
  g_strv_builder_add (b, when);
  row = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return row;
}

static const char *const *
header_for (const char *kind)
{
  static const char *const pod[] = { "NAME", "READY", "STATUS", "RESTARTS", "AGE", NULL };
  static const char *const svc[] = { "NAME", "TYPE", "CLUSTER-IP", "PORT(S)", "AGE", NULL };
  static const char *const deploy[] = { "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", NULL };
  static const char *const cm[] = { "NAME", "DATA", "AGE", NULL };
  static const char *const secret[] = { "NAME", "TYPE", "DATA", "AGE", NULL };
  static const char *const ns[] = { "NAME", "STATUS", "AGE", NULL };
  static const char *const other[] = { "NAME", "AGE", NULL };

  if (strcmp (kind, "Pod") == 0)
    return pod;
  if (strcmp (kind, "Service") == 0)
    return svc;
  if (strcmp (kind, "Deployment") == 0)
    return deploy;
  if (strcmp (kind, "ConfigMap") == 0)
    return cm;
  if (strcmp (kind, "Secret") == 0)
    return secret;
  if (strcmp (kind, "Namespace") == 0)
    return ns;
  return other;
}

/* Columns padded to their widest cell, three spaces apart, as kubectl. */
static void
print_table (const char *const *header, GPtrArray *rows)
{
  guint             n = g_strv_length ((char **)header);
  g_autofree guint *width = g_new0 (guint, n);

  for (guint c = 0; c < n; c++)
    width[c] = g_utf8_strlen (header[c], -1);
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint c = 0; c < n && row[c]; c++)
        width[c] = MAX (width[c], g_utf8_strlen (row[c], -1));
    }
  for (guint r = 0; r <= rows->len; r++)
    {
      const char *const *row
          = r == 0 ? header : (const char *const *)g_ptr_array_index (rows, r - 1);
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint c = 0; c < n && row[c]; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < n)
            for (guint pad = g_utf8_strlen (row[c], -1); pad < width[c] + 3; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}

static void
print_objects (HeroVirtClusterKind *kind, GPtrArray *items)
{
  const char *k = hero_virt_cluster_kind_get_kind (kind);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *item = g_ptr_array_index (items, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        g_ptr_array_add (rows, row_for (k, json_node_get_object (item)));
    }
  print_table (header_for (k), rows);
}

/* ---- get ------------------------------------------------------------------ */

static int
cmd_get (int argc, char **argv)
{
  g_autofree char   *selector = NULL, *field_selector = NULL, *api_version = NULL;
  const GOptionEntry entries[]
      = { { "selector", 'l', 0, G_OPTION_ARG_STRING, &selector, "Only objects with these labels",
            "KEY=VALUE,…" },
          { "field-selector", 0, 0, G_OPTION_ARG_STRING, &field_selector,
            "Only objects whose fields match", "FIELD=VALUE,…" },
          { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
            "The API version of KIND, for kinds this tool does not know (custom resources)",
            "GROUP/VERSION" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtClusterKind) kind = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *kind_text = NULL, *name = NULL;
  int              status;

  if (!hv_cli_kube_parse_args ("kube get", "KIND [NAME] | KIND/NAME",
                               "Lists the objects of a kind in the namespace, or shows one.\n"
                               "KIND is a plural, singular or short name (pods, pod, po, svc, "
                               "cm, deploy, ns, …),\noptionally with its group "
                               "(ingressroutes.traefik.io), or any Kind with --api-version.",
                               entries, &argc, &argv, 1, 2, &status))
    return status;
  if (!split_ref (argc, argv, 1, &kind_text, &name))
    {
      if (argc != 2 || strchr (argv[1], '/') != NULL)
        return hv_cli_usage_error ("kube get", "expected KIND [NAME] or KIND/NAME");
      kind_text = g_strdup (argv[1]);
    }
  if (name != NULL && (selector != NULL || field_selector != NULL))
    return hv_cli_usage_error ("kube get", "selectors apply to lists, not to one object");
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || (kind = hv_cli_kube_resolve_kind (km, kind_text, api_version, &error)) == NULL)
    return hv_cli_report_error (error);

  if (name != NULL)
    {
      g_autoptr (JsonNode) object
          = hero_virt_kubernetes_manager_get (km, kind, name, hv_cli_get_cancellable (), &error);
      g_autoptr (GPtrArray) one = g_ptr_array_new ();

      if (object == NULL)
        return hv_cli_report_error (error);
      if (opt_json)
        hv_cli_print_json (object);
      else
        {
          g_ptr_array_add (one, object);
          print_objects (kind, one);
        }
      return HV_CLI_EXIT_OK;
    }
  {
    g_autoptr (HeroVirtClusterListOptions) options = hero_virt_cluster_list_options_new ();
    g_autoptr (JsonNode) list = NULL;
    g_autoptr (GPtrArray) items = NULL;

    if (selector)
      hero_virt_cluster_list_options_set_label_selector (options, selector);
    if (field_selector)
      hero_virt_cluster_list_options_set_field_selector (options, field_selector);
    list = hero_virt_kubernetes_manager_list (km, kind, options, hv_cli_get_cancellable (), &error);
    if (list == NULL)
      return hv_cli_report_error (error);
    if (opt_json)
      {
        hv_cli_print_json (list);
        return HV_CLI_EXIT_OK;
      }
    items = hero_virt_kube_list_get_items (list);
    if (items->len == 0)
      {
        if (hero_virt_cluster_kind_get_namespaced (kind))
          g_printerr ("No %s in namespace %s.\n", hero_virt_cluster_kind_get_plural (kind),
                      opt_namespace ? opt_namespace : "(the context's)");
        else
          g_printerr ("No %s.\n", hero_virt_cluster_kind_get_plural (kind));
        return HV_CLI_EXIT_OK;
      }
    print_objects (kind, items);
  }
  return HV_CLI_EXIT_OK;
}

/* ---- apply ---------------------------------------------------------------- */

static char *
read_manifest (const char *path, GError **error)
{
  char *text = NULL;

  if (strcmp (path, "-") == 0)
    {
      g_autoptr (GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr (GBytes) bytes = NULL;

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                  hv_cli_get_cancellable (), error)
          < 0)
        return NULL;
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
      text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  else if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_free (text);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "%s is not UTF-8 text",
                   strcmp (path, "-") == 0 ? "The input" : path);
      return NULL;
    }
  return text;
}

static int
cmd_apply (int argc, char **argv)
{
  g_auto (GStrv) files = NULL;
  gboolean           force = FALSE;
  const GOptionEntry entries[] = {
    { "filename", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
      "A manifest file (YAML or JSON, several documents), or - for standard input; repeatable",
      "FILE" },
    { "force-conflicts", 0, 0, G_OPTION_ARG_NONE, &force,
      "Take over fields other field managers own", NULL },
    { NULL }
  };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GPtrArray) applied = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_kube_parse_args ("kube apply", "",
                               "Server-side applies every object of the manifests (field "
                               "manager hero-virt).\nObjects without a namespace go to the "
                               "chosen one.",
                               entries, &argc, &argv, 0, 0, &status))
    return status;
  if (files == NULL || files[0] == NULL)
    return hv_cli_usage_error ("kube apply", "give a manifest with -f FILE (or -f - for stdin)");
  if ((km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *text = read_manifest (files[i], &error);
      g_autoptr (GPtrArray) objects = NULL;

      if (text == NULL)
        return hv_cli_report_error (error);
      objects = hero_virt_kubernetes_manager_apply_yaml (km, text, force, hv_cli_get_cancellable (),
                                                         &error);
      if (objects == NULL)
        {
          g_prefix_error (&error, "%s: ", strcmp (files[i], "-") == 0 ? "stdin" : files[i]);
          return hv_cli_report_error (error);
        }
      for (guint j = 0; j < objects->len; j++)
        {
          JsonNode        *o = g_ptr_array_index (objects, j);
          g_autofree char *k = g_ascii_strdown (hero_virt_kube_resource_get_kind (o), -1);

          if (!opt_json)
            g_print ("%s/%s serverside-applied\n", k, hero_virt_kube_resource_get_name (o));
          g_ptr_array_add (applied, json_node_ref (o));
        }
    }
  if (opt_json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < applied->len; i++)
        json_array_add_element (array, json_node_ref (g_ptr_array_index (applied, i)));
      json_node_take_array (node, array);
      hv_cli_print_json (node);
    }
  return HV_CLI_EXIT_OK;
}

/* ---- delete --------------------------------------------------------------- */

static void
print_deleted_json (GPtrArray *names, gboolean dry_run)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "deleted");
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (names, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dry_run");
  json_builder_add_boolean_value (b, dry_run);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  hv_cli_print_json (root);
}

static gboolean
parse_cascade (const char *text, HeroVirtClusterPropagation *out, GError **error)
{
  if (text == NULL || strcmp (text, "background") == 0)
    *out = HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND;
  else if (strcmp (text, "foreground") == 0)
    *out = HERO_VIRT_CLUSTER_PROPAGATION_FOREGROUND;
  else if (strcmp (text, "orphan") == 0)
    *out = HERO_VIRT_CLUSTER_PROPAGATION_ORPHAN;
  else
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid --cascade \"%s\": write background, foreground or orphan", text);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_delete (int argc, char **argv)
{
  g_autofree char   *pattern = NULL, *cascade = NULL, *api_version = NULL, *timeout = NULL;
  gboolean           dry_run = FALSE, ignore_not_found = FALSE, wait = FALSE;
  int                grace = -1;
  const GOptionEntry entries[]
      = { { "pattern", 0, 0, G_OPTION_ARG_STRING, &pattern,
            "Delete every pod, service, deployment, config map and secret whose name matches this "
            "regular expression",
            "REGEX" },
          { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Only say what would be deleted", NULL },
          { "cascade", 0, 0, G_OPTION_ARG_STRING, &cascade,
            "What happens to dependents: background (default), foreground or orphan", "MODE" },
          { "grace-period", 0, 0, G_OPTION_ARG_INT, &grace,
            "Seconds a pod gets to stop (default: its own)", "SECONDS" },
          { "ignore-not-found", 0, 0, G_OPTION_ARG_NONE, &ignore_not_found,
            "A missing object is not an error", NULL },
          { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, "Wait until the objects are gone", NULL },
          { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, "How long --wait waits (default 60s)",
            "DURATION" },
          { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
            "The API version of KIND, for kinds this tool does not know", "GROUP/VERSION" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtClusterKind) kind = NULL;
  g_autoptr (GPtrArray) done = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  HeroVirtClusterPropagation propagation;
  g_autofree char           *kind_text = NULL;
  g_autofree char           *name0 = NULL;
  g_autofree char           *lower = NULL;
  guint                      timeout_ms = 60000;
  int                        status;

  if (!hv_cli_kube_parse_args (
          "kube delete", "KIND NAME… | KIND/NAME | --pattern REGEX",
          "Deletes objects by name, or with --pattern every pod, service, deployment,\n"
          "config map and secret of the namespace whose name matches REGEX (GRegex, "
          "unanchored:\nwrite ^name$ for whole names). --dry-run lists what would go.",
          entries, &argc, &argv, 0, -1, &status))
    return status;
  if (!parse_cascade (cascade, &propagation, &error)
      || (timeout != NULL && !hv_cli_kube_parse_duration (timeout, &timeout_ms, &error)))
    return hv_cli_report_error (error);

  if (pattern != NULL)
    {
      g_auto (GStrv) names = NULL;

      if (argc > 1)
        return hv_cli_usage_error ("kube delete", "--pattern takes no KIND or NAME");
      if ((km = hv_cli_kube_manager (&error)) == NULL)
        return hv_cli_report_error (error);
      names = hero_virt_kubernetes_manager_delete (km, pattern, dry_run, hv_cli_get_cancellable (),
                                                   &error);
      if (names == NULL)
        return hv_cli_report_error (error);
      for (guint i = 0; names[i] != NULL; i++)
        g_ptr_array_add (done, g_strdup (names[i]));
      if (opt_json)
        print_deleted_json (done, dry_run);
      else if (done->len == 0)
        g_print ("No pods, services, deployments, config maps or secrets match \"%s\".\n", pattern);
      else
        for (guint i = 0; i < done->len; i++)
          g_print ("%s %s\n", (char *)g_ptr_array_index (done, i),
                   dry_run ? "would be deleted (dry run)" : "deleted");
      return HV_CLI_EXIT_OK;
    }

  if (argc < 2)
    return hv_cli_usage_error ("kube delete", "give KIND NAME, KIND/NAME or --pattern REGEX");
  if (!split_ref (argc, argv, 1, &kind_text, &name0))
    {
      if (argc < 3 || strchr (argv[1], '/') != NULL)
        return hv_cli_usage_error ("kube delete",
                                   "give KIND NAME…, KIND/NAME or --pattern REGEX (a lone "
                                   "argument is not a pattern: use --pattern)");
      kind_text = g_strdup (argv[1]);
    }
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || (kind = hv_cli_kube_resolve_kind (km, kind_text, api_version, &error)) == NULL)
    return hv_cli_report_error (error);
  lower = g_strdup (hero_virt_cluster_kind_get_plural (kind));

  for (int i = name0 ? 0 : 2; name0 ? i < 1 : i < argc; i++)
    {
      const char *name = name0 ? name0 : argv[i];
      g_autoptr (GError) local_error = NULL;
      gboolean ok;

      if (dry_run)
        {
          g_autoptr (JsonNode) object = hero_virt_kubernetes_manager_get (
              km, kind, name, hv_cli_get_cancellable (), &local_error);
          ok = object != NULL;
        }
      else
        ok = hero_virt_kubernetes_manager_delete_object (km, kind, name, propagation, grace,
                                                         hv_cli_get_cancellable (), &local_error);
      if (!ok)
        {
          if (ignore_not_found
              && g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
            continue;
          return hv_cli_report_error (local_error);
        }
      if (!dry_run && wait)
        {
          g_autoptr (JsonNode) gone = hero_virt_kubernetes_manager_wait_for (
              km, kind, name, "deleted", timeout_ms, hv_cli_get_cancellable (), &local_error);

          if (gone == NULL)
            return hv_cli_report_error (local_error);
        }
      g_ptr_array_add (done, g_strdup_printf ("%s/%s", lower, name));
      if (!opt_json)
        g_print ("%s/%s %s\n", lower, name, dry_run ? "would be deleted (dry run)" : "deleted");
    }
  if (opt_json)
    print_deleted_json (done, dry_run);
  return HV_CLI_EXIT_OK;
}

/* ---- wait ----------------------------------------------------------------- */

static int
cmd_wait (int argc, char **argv)
{
  g_autofree char   *for_text = NULL, *timeout = NULL, *api_version = NULL;
  const GOptionEntry entries[]
      = { { "for", 0, 0, G_OPTION_ARG_STRING, &for_text,
            "condition=TYPE (a condition that is True: Ready, Available, …), delete, rollout, or "
            "jsonpath={.path}=VALUE",
            "WHAT" },
          { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, "How long to wait (default 30s)",
            "DURATION" },
          { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
            "The API version of KIND, for kinds this tool does not know", "GROUP/VERSION" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtClusterKind) kind = NULL;
  g_autoptr (JsonNode) object = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *kind_text = NULL, *name = NULL, *lower = NULL;
  g_autofree char *condition = NULL;
  guint            timeout_ms = 30000;
  int              status;

  if (!hv_cli_kube_parse_args ("kube wait", "KIND/NAME | KIND NAME",
                               "Waits until an object meets a condition, or is deleted.", entries,
                               &argc, &argv, 1, 2, &status))
    return status;
  if (!split_ref (argc, argv, 1, &kind_text, &name))
    return hv_cli_usage_error ("kube wait", "expected KIND/NAME or KIND NAME");
  if (for_text == NULL)
    return hv_cli_usage_error ("kube wait",
                               "give --for=condition=TYPE, --for=delete, --for=rollout or "
                               "--for=jsonpath={.path}=VALUE");
  if (g_str_has_prefix (for_text, "condition=") && for_text[10] != '\0'
      && strchr (for_text + 10, '=') == NULL)
    condition = g_strdup (for_text + 10);
  else if (strcmp (for_text, "delete") == 0)
    condition = g_strdup ("deleted");
  else if (strcmp (for_text, "rollout") == 0)
    condition = g_strdup ("rollout");
  else if (g_str_has_prefix (for_text, "jsonpath=") && for_text[9] == '{'
           && strstr (for_text, "}=") != NULL)
    condition = g_strdup (for_text + 9);
  else
    return hv_cli_usage_error ("kube wait",
                               "invalid --for \"%s\": write condition=TYPE, delete, rollout or "
                               "jsonpath={.path}=VALUE",
                               for_text);
  if (timeout != NULL && !hv_cli_kube_parse_duration (timeout, &timeout_ms, &error))
    return hv_cli_report_error (error);
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || (kind = hv_cli_kube_resolve_kind (km, kind_text, api_version, &error)) == NULL)
    return hv_cli_report_error (error);
  object = hero_virt_kubernetes_manager_wait_for (km, kind, name, condition, timeout_ms,
                                                  hv_cli_get_cancellable (), &error);
  if (object == NULL)
    return hv_cli_report_error (error);
  lower = kind_lower (kind);
  if (opt_json)
    hv_cli_print_json (object);
  else if (strcmp (condition, "deleted") == 0)
    g_print ("%s/%s deleted\n", lower, name);
  else
    g_print ("%s/%s condition met\n", lower, name);
  return HV_CLI_EXIT_OK;
}

/* ---- counts --------------------------------------------------------------- */

static int
cmd_counts (int argc, char **argv)
{
  static const char *const order[]
      = { "pods", "services", "deployments", "configmaps", "secrets", NULL };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_kube_parse_args ("kube counts", "",
                               "Counts the pods, services, deployments, config maps and secrets "
                               "of the namespace.",
                               NULL, &argc, &argv, 0, 0, &status))
    return status;
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || (counts
          = hero_virt_kubernetes_manager_resource_counts (km, hv_cli_get_cancellable (), &error))
             == NULL)
    return hv_cli_report_error (error);
  if (opt_json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      for (guint i = 0; order[i]; i++)
        {
          json_builder_set_member_name (b, order[i]);
          json_builder_add_int_value (b, GPOINTER_TO_UINT (g_hash_table_lookup (counts, order[i])));
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
    }
  else
    {
      g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
      static const char *const header[] = { "KIND", "COUNT", NULL };

      for (guint i = 0; order[i]; i++)
        {
          char **row = g_new0 (char *, 3);

          row[0] = g_strdup (order[i]);
          row[1]
              = g_strdup_printf ("%u", GPOINTER_TO_UINT (g_hash_table_lookup (counts, order[i])));
          g_ptr_array_add (rows, row);
        }
      print_table (header, rows);
    }
  return HV_CLI_EXIT_OK;
}

/* ---- ns ------------------------------------------------------------------- */

static int
cmd_ns_list (int argc, char **argv)
{
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_kube_parse_args ("kube ns list", "", "Lists the namespaces.", NULL, &argc, &argv, 0,
                               0, &status))
    return status;
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || (list
          = hero_virt_kubernetes_manager_namespaces_list (km, hv_cli_get_cancellable (), &error))
             == NULL)
    return hv_cli_report_error (error);
  if (opt_json)
    hv_cli_print_json (list);
  else
    {
      items = hero_virt_kube_list_get_items (list);
      print_objects (kind, items);
    }
  return HV_CLI_EXIT_OK;
}

static void
print_ns_json (const char *name, const char *member, gboolean value)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  hv_cli_print_json (root);
}

static int
cmd_ns_create (int argc, char **argv)
{
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  gboolean existed;
  int      status;

  if (!hv_cli_kube_parse_args ("kube ns create", "NAME",
                               "Creates a namespace; one that exists already is left as it is.",
                               NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1123_label (argv[1], &error)
      || (km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  existed = hero_virt_kubernetes_manager_namespace_exists (km, argv[1], hv_cli_get_cancellable (),
                                                           &error);
  if (error != NULL
      || !hero_virt_kubernetes_manager_namespace_create (km, argv[1], hv_cli_get_cancellable (),
                                                         &error))
    return hv_cli_report_error (error);
  if (opt_json)
    print_ns_json (argv[1], "created", !existed);
  else
    g_print ("namespace/%s %s\n", argv[1], existed ? "unchanged (exists)" : "created");
  return HV_CLI_EXIT_OK;
}

static int
cmd_ns_delete (int argc, char **argv)
{
  g_autofree char   *timeout = NULL;
  gboolean           wait = FALSE, ignore_not_found = FALSE;
  const GOptionEntry entries[]
      = { { "wait", 0, 0, G_OPTION_ARG_NONE, &wait,
            "Wait until the namespace and everything in it are gone", NULL },
          { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, "How long --wait waits (default 60s)",
            "DURATION" },
          { "ignore-not-found", 0, 0, G_OPTION_ARG_NONE, &ignore_not_found,
            "A missing namespace is not an error", NULL },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  guint timeout_ms = 60000;
  int   status;

  if (!hv_cli_kube_parse_args ("kube ns delete", "NAME",
                               "Deletes a namespace and everything in it.", entries, &argc, &argv,
                               1, 1, &status))
    return status;
  if ((timeout != NULL && !hv_cli_kube_parse_duration (timeout, &timeout_ms, &error))
      || !hero_virt_kube_validate_dns1123_label (argv[1], &error)
      || (km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  if (!hero_virt_kubernetes_manager_namespace_delete (km, argv[1], hv_cli_get_cancellable (),
                                                      &error))
    {
      if (ignore_not_found && g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        {
          if (opt_json)
            print_ns_json (argv[1], "deleted", FALSE);
          return HV_CLI_EXIT_OK;
        }
      return hv_cli_report_error (error);
    }
  if (wait)
    {
      g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
      g_autoptr (JsonNode) gone = hero_virt_kubernetes_manager_wait_for (
          km, kind, argv[1], "deleted", timeout_ms, hv_cli_get_cancellable (), &error);

      if (gone == NULL)
        return hv_cli_report_error (error);
    }
  if (opt_json)
    print_ns_json (argv[1], "deleted", TRUE);
  else
    g_print ("namespace/%s deleted\n", argv[1]);
  return HV_CLI_EXIT_OK;
}

static int
cmd_ns_exists (int argc, char **argv)
{
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  gboolean exists;
  int      status;

  if (!hv_cli_kube_parse_args ("kube ns exists", "NAME",
                               "Says whether a namespace exists: exit status 0 if it does, 1 if "
                               "not (or on error).",
                               NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1123_label (argv[1], &error)
      || (km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  exists = hero_virt_kubernetes_manager_namespace_exists (km, argv[1], hv_cli_get_cancellable (),
                                                          &error);
  if (error != NULL)
    return hv_cli_report_error (error);
  if (opt_json)
    print_ns_json (argv[1], "exists", exists);
  else
    g_print ("namespace/%s %s\n", argv[1], exists ? "exists" : "does not exist");
  return exists ? HV_CLI_EXIT_OK : HV_CLI_EXIT_FAILURE;
}

static const HvCliCommand ns_commands[]
    = { { "list", "", "List the namespaces", cmd_ns_list },
        { "create", "NAME", "Create a namespace (idempotent)", cmd_ns_create },
        { "delete", "NAME [--wait]", "Delete a namespace and what is in it", cmd_ns_delete },
        { "exists", "NAME", "Exit 0 if the namespace exists, 1 if not", cmd_ns_exists },
        { NULL } };

static int
cmd_ns (int argc, char **argv)
{
  return hv_cli_dispatch ("kube ns", ns_commands, argc, argv);
}

/* ---- the family ----------------------------------------------------------- */

const HvCliCommand hv_cli_kube_commands[]
    = { { "get", "KIND [NAME] [-l SELECTOR]", "List objects of a kind, or show one", cmd_get },
        { "apply", "-f FILE|-", "Server-side apply manifests (multi-document YAML)", cmd_apply },
        { "delete", "KIND NAME… | --pattern REGEX [--dry-run]", "Delete objects, or by pattern",
          cmd_delete },
        { "wait", "KIND/NAME --for=WHAT [--timeout D]", "Wait for a condition or a deletion",
          cmd_wait },
        { "counts", "", "Count pods, services, deployments, config maps, secrets", cmd_counts },
        { "ns", "list|create|delete|exists [NAME]", "Manage namespaces", cmd_ns },
        { NULL } };

/* Every table the family dispatches to, in the order `--help` lists them. */
static const HvCliCommand *const hv_cli_kube_tables[] = { hv_cli_kube_commands,
#ifdef HAVE_CLI_KUBE_STREAM_C
                                                          hv_cli_kube_stream_commands,
#endif
#ifdef HAVE_CLI_KUBE_APPS_C
                                                          hv_cli_kube_apps_commands,
#endif
                                                          NULL };

static void
print_kube_usage (FILE *out)
{
  fprintf (out, "Usage:\n  hero-virt kube COMMAND [OPTION…]\n\n"
                "Kubernetes through HeroVirt's k8s plugin (no kubectl needed).\n\nCommands:\n");
  for (guint t = 0; hv_cli_kube_tables[t] != NULL; t++)
    for (const HvCliCommand *c = hv_cli_kube_tables[t]; c->name != NULL; c++)
      {
        g_autofree char *synopsis = g_strdup_printf ("%s %s", c->name, c->args ? c->args : "");
        fprintf (out, "  %-48s %s\n", synopsis, c->summary);
      }
  fprintf (out, "\nEvery command takes --namespace/-n NAME, --context NAME, --kubeconfig FILE and "
                "--json,\nbefore or after its name. Run 'hero-virt kube COMMAND --help' for the "
                "rest.\nExit status: 0 success, 1 failure, 2 bad usage or invalid argument.\n");
}

/* Takes the family's options that come before the command name. */
static gboolean
take_leading_option (int *argc, char ***argv, int *status)
{
  const char *arg = (*argv)[1];
  char      **target = NULL;
  const char *value = NULL;
  int         used = 1;

  if (strcmp (arg, "--json") == 0)
    {
      opt_json = TRUE;
      goto consumed;
    }
  if (strcmp (arg, "-n") == 0 || strcmp (arg, "--namespace") == 0)
    target = &opt_namespace;
  else if (strcmp (arg, "--context") == 0)
    target = &opt_context;
  else if (strcmp (arg, "--kubeconfig") == 0)
    target = &opt_kubeconfig;
  if (target != NULL)
    {
      if (*argc < 3)
        {
          *status = hv_cli_usage_error ("kube", "%s needs a value", arg);
          return FALSE;
        }
      value = (*argv)[2];
      used = 2;
    }
  else if (g_str_has_prefix (arg, "--namespace="))
    target = &opt_namespace, value = arg + 12;
  else if (g_str_has_prefix (arg, "--context="))
    target = &opt_context, value = arg + 10;
  else if (g_str_has_prefix (arg, "--kubeconfig="))
    target = &opt_kubeconfig, value = arg + 13;
  else if (g_str_has_prefix (arg, "-n") && arg[2] != '\0')
    target = &opt_namespace, value = arg + 2;
  else
    {
      *status = hv_cli_usage_error ("kube", "unknown option '%s'", arg);
      return FALSE;
    }
  g_free (*target);
  *target = g_strdup (value);
consumed:
  *argc -= used;
  *argv += used;
  return TRUE;
}

int
hv_cli_kube (int argc, char **argv)
{
  int status;

  while (argc >= 2 && argv[1][0] == '-' && strcmp (argv[1], "--help") != 0
         && strcmp (argv[1], "-h") != 0)
    {
      char **before = argv;

      if (!take_leading_option (&argc, &argv, &status))
        return status;
      /* keep argv[0] ("kube") in front of what remains */
      argv[0] = before[0];
    }
  if (argc < 2)
    {
      print_kube_usage (stderr);
      return HV_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_kube_usage (stdout);
      return HV_CLI_EXIT_OK;
    }
  for (guint t = 0; hv_cli_kube_tables[t] != NULL; t++)
    for (const HvCliCommand *c = hv_cli_kube_tables[t]; c->name != NULL; c++)
      if (strcmp (argv[1], c->name) == 0)
        return c->run (argc - 1, argv + 1);
  g_printerr ("hero-virt kube: unknown command '%s'\n", argv[1]);
  g_printerr ("Run 'hero-virt kube --help' for the list.\n");
  return HV_CLI_EXIT_USAGE;
}
