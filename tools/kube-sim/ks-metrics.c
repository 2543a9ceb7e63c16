/* ks-metrics.c: metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics made from
 * the pods on each read, so kubectl top answers (small, steady numbers: the
 * fake node runs nothing). */
#include "kube-sim.h"

#include <string.h>

static JsonObject *
usage (const char *cpu, const char *memory)
{
  JsonObject *u = json_object_new ();

  json_object_set_string_member (u, "cpu", cpu);
  json_object_set_string_member (u, "memory", memory);
  return u;
}

static JsonObject *
metrics_object (KsResource *res, const char *kind, JsonObject *source, const char *now)
{
  JsonObject *obj = json_object_new ();
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (obj, "kind", kind);
  json_object_set_string_member (obj, "apiVersion", res->group_version);
  json_object_set_string_member (meta, "name", ks_meta_name (source));
  if (ks_meta_namespace (source))
    json_object_set_string_member (meta, "namespace", ks_meta_namespace (source));
  json_object_set_string_member (meta, "creationTimestamp", now);
  if (ks_json_get_object (ks_meta (source), "labels"))
    json_object_set_object_member (
        meta, "labels", ks_json_object_deep_copy (ks_json_get_object (ks_meta (source), "labels")));
  json_object_set_object_member (obj, "metadata", meta);
  json_object_set_string_member (obj, "timestamp", now);
  json_object_set_string_member (obj, "window", "15s");
  return obj;
}

static GPtrArray *
pod_metrics (KsSim *sim, KsResource *res, const char *ns)
{
  KsResource *pods = ks_resource_find (sim, "", "v1", "pods");
  g_autoptr (GPtrArray) items = ks_store_list (pods, ns);
  GPtrArray       *out = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_autofree char *now = ks_now_rfc3339 ();

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *pod = g_ptr_array_index (items, i);
      JsonArray  *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
      JsonArray  *list = json_array_new ();
      JsonObject *m;
      if (g_strcmp0 (ks_json_get_string (ks_json_get_object (pod, "status"), "phase"), "Running")
          != 0)
        {
          json_array_unref (list);
          continue;
        }
      m = metrics_object (res, "PodMetrics", pod, now);
      for (guint c = 0; containers && c < json_array_get_length (containers); c++)
        {
          JsonObject *cm = json_object_new ();
          json_object_set_string_member (
              cm, "name",
              ks_json_get_string (json_array_get_object_element (containers, c), "name"));
          json_object_set_object_member (cm, "usage", usage ("1m", "4Mi"));
          json_array_add_object_element (list, cm);
        }
      json_object_set_array_member (m, "containers", list);
      g_ptr_array_add (out, m);
    }
  return out;
}

static GPtrArray *
node_metrics (KsSim *sim, KsResource *res, const char *ns)
{
  KsResource *nodes = ks_resource_find (sim, "", "v1", "nodes");
  g_autoptr (GPtrArray) items = ks_store_list (nodes, NULL);
  GPtrArray       *out = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_autofree char *now = ks_now_rfc3339 ();

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *m = metrics_object (res, "NodeMetrics", g_ptr_array_index (items, i), now);
      json_object_set_object_member (m, "usage", usage ("100m", "512Mi"));
      g_ptr_array_add (out, m);
    }
  return out;
}

void
ks_metrics_init (KsSim *sim)
{
  KsResource *r;

  r = ks_resource_add (sim, "metrics.k8s.io", "v1beta1", "PodMetrics", "pods", TRUE,
                       KS_RES_COMPUTED | KS_RES_READONLY);
  g_free (r->singular);
  r->singular = g_strdup ("");
  r->compute = pod_metrics;
  r = ks_resource_add (sim, "metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", FALSE,
                       KS_RES_COMPUTED | KS_RES_READONLY);
  g_free (r->singular);
  r->singular = g_strdup ("");
  r->compute = node_metrics;
}
