/* ks-table.c: meta.k8s.io/v1 Table responses, for kubectl's human output. */
#include "kube-sim.h"

#include <string.h>

static char *
human_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  gint64 minutes = seconds / 60;
  if (minutes < 10)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s", minutes, seconds % 60);
  if (minutes < 180)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
  gint64 hours = minutes / 60;
  if (hours < 8)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", hours, minutes % 60);
  if (hours < 48)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", hours);
  if (hours < 192)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h", hours / 24, hours % 24);
  return g_strdup_printf ("%" G_GINT64_FORMAT "d", hours / 24);
}

static char *
age_of (JsonObject *obj)
{
  const char *ts = ks_json_get_string (ks_meta (obj), "creationTimestamp");
  g_autoptr (GDateTime) then = ts ? g_date_time_new_from_iso8601 (ts, NULL) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (then == NULL)
    return g_strdup ("<unknown>");
  return human_duration (g_date_time_difference (now, then) / G_TIME_SPAN_SECOND);
}

static void
add_column (JsonArray *cols, const char *name, const char *type, const char *format, int priority)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "name", name);
  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "format", format);
  json_object_set_string_member (c, "description", "");
  json_object_set_int_member (c, "priority", priority);
  json_array_add_object_element (cols, c);
}

static gint64
get_int (JsonObject *obj, const char *path)
{
  JsonNode *n = ks_json_lookup (obj, path);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
             ? json_node_get_int (n)
             : 0;
}

static const char *
get_str (JsonObject *obj, const char *path, const char *fallback)
{
  JsonNode *n = ks_json_lookup (obj, path);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : fallback;
}

static char *
node_to_cell (JsonNode *n)
{
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return g_strdup ("<none>");
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return json_to_string (n, FALSE);
}

/* kubectl's STATUS while init containers run (printPod): Init:N/M, or
 * Init:<reason> for one that failed or waits for a reason of its own;
 * NULL once they all completed. Their restarts count then. */
static char *
init_status (JsonObject *obj, gint64 *restarts)
{
  JsonArray *inits = ks_json_get_array (ks_json_get_object (obj, "spec"), "initContainers");
  JsonArray *statuses
      = ks_json_get_array (ks_json_get_object (obj, "status"), "initContainerStatuses");
  guint  n = inits ? json_array_get_length (inits) : 0;
  gint64 sum = 0;

  /* As kubectl: over the statuses there are (none from the fake agent). */
  for (guint i = 0; statuses != NULL && i < json_array_get_length (statuses); i++)
    {
      JsonObject *cs = json_array_get_object_element (statuses, i);
      JsonObject *term = ks_json_get_object (ks_json_get_object (cs, "state"), "terminated");
      const char *waiting = ks_json_get_string (
          ks_json_get_object (ks_json_get_object (cs, "state"), "waiting"), "reason");
      sum += ks_json_get_int (cs, "restartCount", 0);
      if (term != NULL && ks_json_get_int (term, "exitCode", 0) == 0)
        continue;
      *restarts = sum;
      if (term != NULL && ks_json_get_string (term, "reason") != NULL)
        return g_strdup_printf ("Init:%s", ks_json_get_string (term, "reason"));
      if (term != NULL)
        return g_strdup_printf ("Init:ExitCode:%" G_GINT64_FORMAT,
                                ks_json_get_int (term, "exitCode", 0));
      if (waiting != NULL && *waiting != '\0' && strcmp (waiting, "PodInitializing") != 0)
        return g_strdup_printf ("Init:%s", waiting);
      return g_strdup_printf ("Init:%u/%u", i, n);
    }
  return NULL;
}

static gboolean
pod_initializing (JsonArray *statuses)
{
  for (guint i = 0; statuses && i < json_array_get_length (statuses); i++)
    if (g_strcmp0 (
            ks_json_get_string (
                ks_json_get_object (
                    ks_json_get_object (json_array_get_object_element (statuses, i), "state"),
                    "waiting"),
                "reason"),
            "PodInitializing")
        == 0)
      return TRUE;
  return FALSE;
}

static void
pod_cells (JsonArray *cells, JsonObject *obj)
{
  JsonArray *statuses = ks_json_get_array (ks_json_get_object (obj, "status"), "containerStatuses");
  JsonArray *containers = ks_json_get_array (ks_json_get_object (obj, "spec"), "containers");
  guint      ready = 0, total = containers ? json_array_get_length (containers) : 0;
  gint64     restarts = 0;
  const char      *phase = get_str (obj, "status.phase", "Pending");
  g_autofree char *init_reason = NULL;

  for (guint i = 0; statuses && i < json_array_get_length (statuses); i++)
    {
      JsonObject *cs = json_array_get_object_element (statuses, i);
      if (ks_json_get_bool (cs, "ready", FALSE))
        ready++;
      restarts += ks_json_get_int (cs, "restartCount", 0);
    }
  {
    g_autofree char *text = g_strdup_printf ("%u/%u", ready, total);
    json_array_add_string_element (cells, text);
  }
  if (json_object_has_member (ks_meta (obj), "deletionTimestamp"))
    phase = "Terminating";
  else if ((init_reason = init_status (obj, &restarts)) != NULL)
    phase = init_reason;
  else if (g_strcmp0 (phase, "Pending") == 0 && pod_initializing (statuses))
    phase = "PodInitializing";
  else if (g_strcmp0 (phase, "Pending") == 0 && ks_json_lookup (obj, "spec.nodeName") != NULL)
    phase = "ContainerCreating";
  json_array_add_string_element (cells, phase);
  json_array_add_int_element (cells, restarts);
}

static void
service_ports (GString *out, JsonObject *obj)
{
  JsonArray *ports = ks_json_get_array (ks_json_get_object (obj, "spec"), "ports");

  for (guint i = 0; ports && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = json_array_get_object_element (ports, i);
      if (out->len)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "%" G_GINT64_FORMAT, ks_json_get_int (p, "port", 0));
      if (json_object_has_member (p, "nodePort"))
        g_string_append_printf (out, ":%" G_GINT64_FORMAT, ks_json_get_int (p, "nodePort", 0));
      g_string_append_printf (out, "/%s", ks_json_get_string (p, "protocol") ?: "TCP");
    }
  if (out->len == 0)
    g_string_append (out, "<none>");
}

/* -o wide: containers, images and selector of a workload. */
static void
workload_wide_cells (JsonArray *cells, JsonObject *obj)
{
  JsonArray *containers = ks_json_get_array (
      ks_json_get_object (ks_json_get_object (ks_json_get_object (obj, "spec"), "template"),
                          "spec"),
      "containers");
  JsonObject *match = ks_json_get_object (
      ks_json_get_object (ks_json_get_object (obj, "spec"), "selector"), "matchLabels");
  g_autoptr (GString) names = g_string_new (NULL);
  g_autoptr (GString) images = g_string_new (NULL);
  g_autoptr (GString) selector = g_string_new (NULL);

  for (guint i = 0; containers && i < json_array_get_length (containers); i++)
    {
      JsonObject *c = json_array_get_object_element (containers, i);
      g_string_append_printf (names, "%s%s", i ? "," : "", ks_json_get_string (c, "name") ?: "");
      g_string_append_printf (images, "%s%s", i ? "," : "", ks_json_get_string (c, "image") ?: "");
    }
  if (match != NULL)
    {
      JsonObjectIter iter;
      const char    *k;
      JsonNode      *v;
      json_object_iter_init (&iter, match);
      while (json_object_iter_next (&iter, &k, &v))
        g_string_append_printf (selector, "%s%s=%s", selector->len ? "," : "", k,
                                JSON_NODE_HOLDS_VALUE (v) ? json_node_get_string (v) : "");
    }
  json_array_add_string_element (cells, names->str);
  json_array_add_string_element (cells, images->str);
  json_array_add_string_element (cells, selector->len ? selector->str : "<none>");
}

static guint
count_members (JsonObject *obj, const char *member)
{
  JsonObject *m = ks_json_get_object (obj, member);

  return m ? json_object_get_size (m) : 0;
}

JsonObject *
ks_table_for (KsResource *res, GPtrArray *items, JsonObject *list_meta)
{
  JsonObject *table = json_object_new ();
  JsonArray  *cols = json_array_new ();
  JsonArray  *rows = json_array_new ();
  const char *kind = res->kind;

  json_object_set_string_member (table, "kind", "Table");
  json_object_set_string_member (table, "apiVersion", "meta.k8s.io/v1");
  json_object_set_object_member (table, "metadata", ks_json_object_deep_copy (list_meta));
  if (strcmp (kind, "Event") == 0)
    {
      add_column (cols, "Last Seen", "string", "", 0);
      add_column (cols, "Type", "string", "", 0);
      add_column (cols, "Reason", "string", "", 0);
      add_column (cols, "Object", "string", "", 0);
      add_column (cols, "Message", "string", "", 0);
    }
  add_column (cols, "Name", "string", "name", strcmp (kind, "Event") == 0 ? 1 : 0);
  if (strcmp (kind, "Pod") == 0)
    {
      add_column (cols, "Ready", "string", "", 0);
      add_column (cols, "Status", "string", "", 0);
      add_column (cols, "Restarts", "string", "", 0);
      add_column (cols, "IP", "string", "", 1);
      add_column (cols, "Node", "string", "", 1);
    }
  else if (strcmp (kind, "Deployment") == 0)
    {
      add_column (cols, "Ready", "string", "", 0);
      add_column (cols, "Up-to-date", "integer", "", 0);
      add_column (cols, "Available", "integer", "", 0);
      add_column (cols, "Containers", "string", "", 1);
      add_column (cols, "Images", "string", "", 1);
      add_column (cols, "Selector", "string", "", 1);
    }
  else if (strcmp (kind, "ReplicaSet") == 0)
    {
      add_column (cols, "Desired", "integer", "", 0);
      add_column (cols, "Current", "integer", "", 0);
      add_column (cols, "Ready", "integer", "", 0);
      add_column (cols, "Containers", "string", "", 1);
      add_column (cols, "Images", "string", "", 1);
      add_column (cols, "Selector", "string", "", 1);
    }
  else if (strcmp (kind, "Service") == 0)
    {
      add_column (cols, "Type", "string", "", 0);
      add_column (cols, "Cluster-IP", "string", "", 0);
      add_column (cols, "External-IP", "string", "", 0);
      add_column (cols, "Port(s)", "string", "", 0);
    }
  else if (strcmp (kind, "Endpoints") == 0)
    add_column (cols, "Endpoints", "string", "", 0);
  else if (strcmp (kind, "StatefulSet") == 0)
    add_column (cols, "Ready", "string", "", 0);
  else if (strcmp (kind, "DaemonSet") == 0)
    {
      add_column (cols, "Desired", "integer", "", 0);
      add_column (cols, "Current", "integer", "", 0);
      add_column (cols, "Ready", "integer", "", 0);
      add_column (cols, "Up-to-date", "integer", "", 0);
      add_column (cols, "Available", "integer", "", 0);
    }
  else if (strcmp (kind, "Job") == 0)
    {
      add_column (cols, "Status", "string", "", 0);
      add_column (cols, "Completions", "string", "", 0);
    }
  else if (strcmp (kind, "Namespace") == 0)
    add_column (cols, "Status", "string", "", 0);
  else if (strcmp (kind, "ConfigMap") == 0)
    add_column (cols, "Data", "integer", "", 0);
  else if (strcmp (kind, "Secret") == 0)
    {
      add_column (cols, "Type", "string", "", 0);
      add_column (cols, "Data", "integer", "", 0);
    }
  else if (strcmp (kind, "Node") == 0)
    add_column (cols, "Status", "string", "", 0);
  for (guint i = 0; res->printer_columns && res->printer_columns[i]; i++)
    {
      g_auto (GStrv) parts = g_strsplit (res->printer_columns[i], "\t", 3);
      if (g_strv_length (parts) == 3)
        add_column (cols, parts[0], parts[2], "", 0);
    }
  if (strcmp (kind, "Event") != 0)
    add_column (cols, "Age", "string", "", 0);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *obj = g_ptr_array_index (items, i);
      JsonObject *row = json_object_new ();
      JsonArray  *cells = json_array_new ();
      JsonObject *partial = json_object_new ();

      if (strcmp (kind, "Event") == 0)
        {
          const char *ts = ks_json_get_string (obj, "lastTimestamp");
          g_autoptr (GDateTime) then = ts ? g_date_time_new_from_iso8601 (ts, NULL) : NULL;
          g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *seen
              = then ? human_duration (g_date_time_difference (now, then) / G_TIME_SPAN_SECOND)
                     : age_of (obj);
          JsonObject      *ref = ks_json_get_object (obj, "involvedObject");
          g_autofree char *kind_lower
              = g_ascii_strdown (ks_json_get_string (ref, "kind") ?: "", -1);
          g_autofree char *what
              = g_strdup_printf ("%s/%s", kind_lower, ks_json_get_string (ref, "name") ?: "");
          json_array_add_string_element (cells, seen);
          json_array_add_string_element (cells, ks_json_get_string (obj, "type") ?: "");
          json_array_add_string_element (cells, ks_json_get_string (obj, "reason") ?: "");
          json_array_add_string_element (cells, what);
          json_array_add_string_element (cells, ks_json_get_string (obj, "message") ?: "");
        }
      json_array_add_string_element (cells, ks_meta_name (obj));
      if (strcmp (kind, "Pod") == 0)
        {
          pod_cells (cells, obj);
          json_array_add_string_element (cells, get_str (obj, "status.podIP", "<none>"));
          json_array_add_string_element (cells, get_str (obj, "spec.nodeName", "<none>"));
        }
      else if (strcmp (kind, "Deployment") == 0)
        {
          g_autofree char *ready = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                                    get_int (obj, "status.readyReplicas"),
                                                    get_int (obj, "spec.replicas"));
          json_array_add_string_element (cells, ready);
          json_array_add_int_element (cells, get_int (obj, "status.updatedReplicas"));
          json_array_add_int_element (cells, get_int (obj, "status.availableReplicas"));
          workload_wide_cells (cells, obj);
        }
      else if (strcmp (kind, "ReplicaSet") == 0)
        {
          json_array_add_int_element (cells, get_int (obj, "spec.replicas"));
          json_array_add_int_element (cells, get_int (obj, "status.replicas"));
          json_array_add_int_element (cells, get_int (obj, "status.readyReplicas"));
          workload_wide_cells (cells, obj);
        }
      else if (strcmp (kind, "Service") == 0)
        {
          g_autoptr (GString) ports = g_string_new (NULL);
          service_ports (ports, obj);
          json_array_add_string_element (cells, get_str (obj, "spec.type", "ClusterIP"));
          json_array_add_string_element (cells, get_str (obj, "spec.clusterIP", "<none>"));
          json_array_add_string_element (cells, "<none>");
          json_array_add_string_element (cells, ports->str);
        }
      else if (strcmp (kind, "Endpoints") == 0)
        {
          JsonArray *subsets = ks_json_get_array (obj, "subsets");
          g_autoptr (GString) text = g_string_new (NULL);
          for (guint si = 0; subsets && si < json_array_get_length (subsets); si++)
            {
              JsonObject *subset = json_array_get_object_element (subsets, si);
              JsonArray  *addrs = ks_json_get_array (subset, "addresses");
              JsonArray  *ports = ks_json_get_array (subset, "ports");
              for (guint a = 0; addrs && a < json_array_get_length (addrs); a++)
                for (guint p = 0; ports && p < json_array_get_length (ports); p++)
                  g_string_append_printf (
                      text, "%s%s:%" G_GINT64_FORMAT, text->len ? "," : "",
                      ks_json_get_string (json_array_get_object_element (addrs, a), "ip"),
                      ks_json_get_int (json_array_get_object_element (ports, p), "port", 0));
            }
          json_array_add_string_element (cells, text->len ? text->str : "<none>");
        }
      else if (strcmp (kind, "StatefulSet") == 0)
        {
          g_autofree char *ready = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                                    get_int (obj, "status.readyReplicas"),
                                                    get_int (obj, "spec.replicas"));
          json_array_add_string_element (cells, ready);
        }
      else if (strcmp (kind, "DaemonSet") == 0)
        {
          json_array_add_int_element (cells, get_int (obj, "status.desiredNumberScheduled"));
          json_array_add_int_element (cells, get_int (obj, "status.currentNumberScheduled"));
          json_array_add_int_element (cells, get_int (obj, "status.numberReady"));
          json_array_add_int_element (cells, get_int (obj, "status.updatedNumberScheduled"));
          json_array_add_int_element (cells, get_int (obj, "status.numberAvailable"));
        }
      else if (strcmp (kind, "Job") == 0)
        {
          gint64           done = get_int (obj, "status.succeeded");
          gint64           want = get_int (obj, "spec.completions");
          g_autofree char *completions
              = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, done, want);
          json_array_add_string_element (cells, want > 0 && done >= want ? "Complete" : "Running");
          json_array_add_string_element (cells, completions);
        }
      else if (strcmp (kind, "Namespace") == 0)
        json_array_add_string_element (cells, get_str (obj, "status.phase", "Active"));
      else if (strcmp (kind, "ConfigMap") == 0)
        json_array_add_int_element (cells, count_members (obj, "data")
                                               + count_members (obj, "binaryData"));
      else if (strcmp (kind, "Secret") == 0)
        {
          json_array_add_string_element (cells, ks_json_get_string (obj, "type") ?: "Opaque");
          json_array_add_int_element (cells, count_members (obj, "data"));
        }
      else if (strcmp (kind, "Node") == 0)
        json_array_add_string_element (cells, "Ready");
      for (guint c = 0; res->printer_columns && res->printer_columns[c]; c++)
        {
          g_auto (GStrv) parts = g_strsplit (res->printer_columns[c], "\t", 3);
          const char *path = parts[1] ? parts[1] : "";
          if (*path == '.')
            path++;
          g_autofree char *cell = node_to_cell (ks_json_lookup (obj, path));
          json_array_add_string_element (cells, cell);
        }
      if (strcmp (kind, "Event") != 0)
        {
          g_autofree char *age = age_of (obj);
          json_array_add_string_element (cells, age);
        }
      json_object_set_array_member (row, "cells", cells);
      json_object_set_string_member (partial, "kind", "PartialObjectMetadata");
      json_object_set_string_member (partial, "apiVersion", "meta.k8s.io/v1");
      json_object_set_object_member (partial, "metadata", ks_json_object_deep_copy (ks_meta (obj)));
      json_object_set_object_member (row, "object", partial);
      json_array_add_object_element (rows, row);
    }
  json_object_set_array_member (table, "columnDefinitions", cols);
  json_object_set_array_member (table, "rows", rows);
  return table;
}
