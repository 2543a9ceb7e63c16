/* k8s-test.c: HeroVirt.KubernetesManager and the k8s plugin from C,
 * against hero-virt-kube-sim (started on port 0 in a temp dir, stopped by
 * its PID)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <string.h>

#include "testlib.h"

static HtKubeSim *sim;

static HeroVirtKubernetesManager *
manager (const char *ns)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtKubernetesConfig) config
      = hero_virt_kubernetes_config_with_retries (hero_virt_kubernetes_config_new (), 2, 20, 100);
  HeroVirtKubernetesManager *km;

  hero_virt_kubernetes_config_with_rate_limit (config, 0, 1);
  km = hero_virt_kubernetes_manager_new_full (ns, sim->kubeconfig, NULL, config, &error);
  g_assert_no_error (error);
  return km;
}

static gboolean
list_has (JsonNode *list, const char *name)
{
  g_autoptr (GPtrArray) items = hero_virt_kube_list_get_items (list);

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (hero_virt_kube_resource_get_name (g_ptr_array_index (items, i)), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_crud (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (GError) error = NULL;
  const char *labels[] = { "app=web", NULL };
  const char *env[] = { "MODE=fast", NULL };
  const char *data[] = { "k=v", NULL };
  struct
  {
    JsonNode *(*list) (HeroVirtKubernetesManager *, GCancellable *, GError **);
    JsonNode *(*get) (HeroVirtKubernetesManager *, const char *, GCancellable *, GError **);
    gboolean (*del) (HeroVirtKubernetesManager *, const char *, GCancellable *, GError **);
    const char *name;
  } kinds[] = {
    { hero_virt_kubernetes_manager_pods_list, hero_virt_kubernetes_manager_pod_get,
      hero_virt_kubernetes_manager_pod_delete, "web-1" },
    { hero_virt_kubernetes_manager_services_list, hero_virt_kubernetes_manager_service_get,
      hero_virt_kubernetes_manager_service_delete, "web" },
    { hero_virt_kubernetes_manager_deployments_list, hero_virt_kubernetes_manager_deployment_get,
      hero_virt_kubernetes_manager_deployment_delete, "api" },
    { hero_virt_kubernetes_manager_configmaps_list, hero_virt_kubernetes_manager_configmap_get,
      hero_virt_kubernetes_manager_configmap_delete, "settings" },
    { hero_virt_kubernetes_manager_secrets_list, hero_virt_kubernetes_manager_secret_get,
      hero_virt_kubernetes_manager_secret_delete, "creds" },
  };
  JsonNode *node;

  node = hero_virt_kubernetes_manager_pod_create (km, "web-1", "nginx:1.25", labels, env, NULL,
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_kube_resource_get_label (node, "app"), ==, "web");
  json_node_unref (node);
  node = hero_virt_kubernetes_manager_service_create (km, "web", labels, 80, 8080, NULL, &error);
  g_assert_no_error (error);
  json_node_unref (node);
  node = hero_virt_kubernetes_manager_deployment_create (km, "api", "nginx:1.25", 1, NULL, NULL,
                                                         NULL, &error);
  g_assert_no_error (error);
  json_node_unref (node);
  node = hero_virt_kubernetes_manager_configmap_create (km, "settings", data, NULL, &error);
  g_assert_no_error (error);
  json_node_unref (node);
  node = hero_virt_kubernetes_manager_secret_create (km, "creds", data, NULL, NULL, &error);
  g_assert_no_error (error);
  json_node_unref (node);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (JsonNode) list = kinds[i].list (km, NULL, &error);
      g_autoptr (JsonNode) got = NULL;

      g_assert_no_error (error);
      g_assert_true (list_has (list, kinds[i].name));
      got = kinds[i].get (km, kinds[i].name, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (hero_virt_kube_resource_get_name (got), ==, kinds[i].name);
    }
  {
    g_autoptr (GHashTable) counts = hero_virt_kubernetes_manager_resource_counts (km, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "deployments")), ==, 1);
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "secrets")), >=, 1);
  }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (kinds[i].del (km, kinds[i].name, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_false (hero_virt_kubernetes_manager_configmap_delete (km, "settings", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* names are checked before any request */
  g_assert_null (hero_virt_kubernetes_manager_pod_get (km, "Not_Valid", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
}

static void
test_namespaces_and_pattern (void)
{
  g_autoptr (HeroVirtKubernetesManager) root = manager (NULL);
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) would = NULL;
  g_auto (GStrv) done = NULL;
  const char *data[] = { "k=v", NULL };

  g_assert_true (hero_virt_kubernetes_manager_namespace_create (root, "c-test", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_kubernetes_manager_namespace_create (root, "c-test", NULL, &error));
  g_assert_true (hero_virt_kubernetes_manager_namespace_exists (root, "c-test", NULL, &error));
  g_assert_false (hero_virt_kubernetes_manager_namespace_exists (root, "c-none", NULL, &error));
  g_assert_no_error (error);

  km = manager ("c-test");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("tmp-%u", i);
      g_autoptr (JsonNode) node
          = hero_virt_kubernetes_manager_configmap_create (km, name, data, NULL, &error);

      g_assert_no_error (error);
    }
  would = hero_virt_kubernetes_manager_delete (km, "^tmp-[01]$", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (would), ==, 2);
  g_assert_null (hero_virt_kubernetes_manager_delete (km, "(", FALSE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  done = hero_virt_kubernetes_manager_delete (km, "^tmp-[01]$", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *)done, "configmaps/tmp-0"));
  g_assert_true (g_strv_contains ((const char *const *)done, "configmaps/tmp-1"));
  {
    g_autoptr (JsonNode) list = hero_virt_kubernetes_manager_configmaps_list (km, NULL, &error);

    g_assert_true (list_has (list, "tmp-2"));
    g_assert_false (list_has (list, "tmp-0"));
  }
  g_assert_true (hero_virt_kubernetes_manager_namespace_delete (root, "c-test", NULL, &error));
  g_assert_no_error (error);
}

static void
test_generic (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtClusterKind) cms = hero_virt_cluster_kind_lookup ("v1", "ConfigMap");
  g_autoptr (JsonNode) obj
      = json_from_string ("{\"metadata\":{\"name\":\"gen\"},\"data\":{\"a\":\"1\"}}", NULL);
  g_autoptr (JsonNode) created = hero_virt_kubernetes_manager_create (km, cms, obj, NULL, &error);
  g_autoptr (JsonNode) stale = NULL;
  g_autoptr (JsonNode) replaced = NULL;
  g_autoptr (JsonNode) patch = json_from_string ("{\"data\":{\"b\":\"2\"}}", NULL);
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) applied = NULL;
  g_autoptr (HeroVirtClusterKind) routes = NULL;

  g_assert_no_error (error);
  stale = json_node_copy (created);
  /* a real change: a no-op update keeps the resourceVersion */
  json_object_set_string_member (
      json_object_get_object_member (json_node_get_object (created), "data"), "a", "changed");
  replaced = hero_virt_kubernetes_manager_replace (km, cms, created, NULL, &error);
  g_assert_no_error (error);
  /* the old resourceVersion is stale now */
  g_assert_null (hero_virt_kubernetes_manager_replace (km, cms, stale, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CONFLICT);
  g_clear_error (&error);
  patched = hero_virt_kubernetes_manager_patch (km, cms, "gen", HERO_VIRT_CLUSTER_PATCH_MERGE,
                                                patch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (json_node_get_object (patched), "data"), "b"),
                   ==, "2");
  applied = hero_virt_kubernetes_manager_apply (km, cms, obj, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_kubernetes_manager_delete_object (
      km, cms, "gen", HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND, -1, NULL, &error));
  g_assert_no_error (error);
  routes = hero_virt_kubernetes_manager_resolve_kind (km, "traefik.io/v1alpha1", "Middleware", NULL,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_cluster_kind_get_plural (routes), ==, "middlewares");
}

typedef struct
{
  GMainLoop *loop;
  JsonNode  *node;
  GError    *error;
  gboolean   exists;
} Async;

static void
got_create (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *a = user_data;

  a->node = hero_virt_kubernetes_manager_configmap_create_finish (
      HERO_VIRT_KUBERNETES_MANAGER (source), result, &a->error);
  g_main_loop_quit (a->loop);
}

static void
got_exists (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *a = user_data;

  a->exists = hero_virt_kubernetes_manager_namespace_exists_finish (
      HERO_VIRT_KUBERNETES_MANAGER (source), result, &a->error);
  g_main_loop_quit (a->loop);
}

static void
test_async (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  const char *data[] = { "k=v", NULL };
  Async       a = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };

  hero_virt_kubernetes_manager_configmap_create_async (km, "async-c", data, NULL, got_create, &a);
  g_main_loop_run (a.loop);
  g_assert_no_error (a.error);
  g_assert_cmpstr (hero_virt_kube_resource_get_name (a.node), ==, "async-c");
  g_clear_pointer (&a.node, json_node_unref);
  /* an invalid name fails through the task, before any request */
  hero_virt_kubernetes_manager_configmap_create_async (km, "Bad Name", data, NULL, got_create, &a);
  g_main_loop_run (a.loop);
  g_assert_error (a.error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&a.error);
  hero_virt_kubernetes_manager_namespace_exists_async (km, "default", NULL, got_exists, &a);
  g_main_loop_run (a.loop);
  g_assert_no_error (a.error);
  g_assert_true (a.exists);
  g_main_loop_unref (a.loop);
}

static void
test_watch (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtClusterKind) cms = hero_virt_cluster_kind_lookup ("v1", "ConfigMap");
  g_autoptr (JsonNode) list = hero_virt_kubernetes_manager_list (km, cms, NULL, NULL, &error);
  JsonObject *meta = json_object_get_object_member (json_node_get_object (list), "metadata");
  g_autoptr (HeroVirtClusterListOptions) opts = hero_virt_cluster_list_options_new ();
  g_autoptr (HeroVirtClusterWatch) watch = NULL;
  const char *data[] = { "k=v", NULL };
  g_autoptr (JsonNode) made = NULL;

  hero_virt_cluster_list_options_set_resource_version (
      opts, json_object_get_string_member (meta, "resourceVersion"));
  watch = hero_virt_kubernetes_manager_watch (km, cms, opts, NULL, &error);
  g_assert_no_error (error);
  made = hero_virt_kubernetes_manager_configmap_create (km, "watched-c", data, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr (HeroVirtClusterWatchEvent) ev = hero_virt_cluster_watch_next (watch, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (ev);
      if (hero_virt_cluster_watch_event_get_event_type (ev)
          == HERO_VIRT_CLUSTER_WATCH_EVENT_BOOKMARK)
        continue;
      g_assert_cmpint (hero_virt_cluster_watch_event_get_event_type (ev), ==,
                       HERO_VIRT_CLUSTER_WATCH_EVENT_ADDED);
      g_assert_cmpstr (
          hero_virt_kube_resource_get_name (hero_virt_cluster_watch_event_get_object (ev)), ==,
          "watched-c");
      break;
    }
  hero_virt_cluster_watch_stop (watch);
}

static void
test_hostile (void)
{
  g_autofree char *path = g_build_filename (sim->dir, "hostile.yaml", NULL);
  g_autoptr (GString) deep = g_string_new ("a: ");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (JsonNode) list = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '[');
  g_assert_true (g_file_set_contents (path, deep->str, -1, NULL));
  km = hero_virt_kubernetes_manager_new_full ("default", path, NULL, NULL, &error);
  g_assert_no_error (error);
  list = hero_virt_kubernetes_manager_configmaps_list (km, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_object (&km);
  g_assert_true (
      g_file_set_contents (path,
                           "current-context: c\ncontexts: [{name: c, context: {cluster: x}}]\n"
                           "clusters: [{name: x, cluster: {server: 'http://127.0.0.1:1'}}]\n",
                           -1, NULL));
  km = hero_virt_kubernetes_manager_new_full ("default", path, NULL, NULL, &error);
  list = hero_virt_kubernetes_manager_configmaps_list (km, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if ((sim = ht_kube_sim_start ("k8s-test-", NULL)) == NULL)
    return 0;
  g_test_add_func ("/k8s/crud", test_crud);
  g_test_add_func ("/k8s/namespaces-and-pattern", test_namespaces_and_pattern);
  g_test_add_func ("/k8s/generic", test_generic);
  g_test_add_func ("/k8s/async", test_async);
  g_test_add_func ("/k8s/watch", test_watch);
  g_test_add_func ("/k8s/hostile", test_hostile);
  rc = g_test_run ();
  ht_kube_sim_stop (g_steal_pointer (&sim));
  return rc;
}
