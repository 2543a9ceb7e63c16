/* buildah-parse.c: buildah's JSON output and progress lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Buildah"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "buildah-parse.h"

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static JsonNode *
parse_json (const char *json, const char *what, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (is_blank (json))
    return json_node_new (JSON_NODE_NULL);
  /* buildah's output is untrusted: depth and size are checked first. */
  root = hero_virt_json_parse_untrusted ((const guint8 *)json, strlen (json), 0, 0, &local_error);
  if (root == NULL)
    g_set_error (error, HERO_VIRT_ERROR, local_error->code, "Could not parse the JSON of %s: %s",
                 what, local_error->message);
  return root;
}

/* The object at @index of @array, or NULL when it is something else. */
static JsonObject *
element_object (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* An array of strings as a strv; NULL when absent. */
static char **
member_strv (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

/* {"k": "v", …} as "k=v"; {"8080": {}} as "8080" with @keys_only. */
static char **
member_map (JsonObject *object, const char *name, gboolean keys_only)
{
  JsonObject *map = member_object (object, name);
  g_autoptr (GStrvBuilder) builder = NULL;
  g_autoptr (GList) members = NULL;

  if (map == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (keys_only)
        g_strv_builder_add (builder, l->data);
      else
        {
          const char      *value = member_string (map, l->data);
          g_autofree char *pair = g_strconcat (l->data, "=", value ? value : "", NULL);
          g_strv_builder_add (builder, pair);
        }
    }
  return g_strv_builder_end (builder);
}

GPtrArray *
buildah_parse_images (const char *json, GError **error)
{
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;

  if (is_blank (json))
    return g_steal_pointer (&images);
  root = parse_json (json, "buildah images", error);
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (root))
    return g_steal_pointer (&images);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "buildah images did not print a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *obj = element_object (array, i);
      g_auto (GStrv) names = NULL;
      gint64      created = 0;
      const char *id;

      if (obj == NULL)
        continue;
      names = member_strv (obj, "names");
      if (json_object_has_member (obj, "created")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "created")))
        created = json_object_get_int_member (obj, "created");
      id = member_string (obj, "id");
      /* --no-trunc gives "sha256:<hex>"; inspect gives the bare hex. */
      if (id != NULL && g_str_has_prefix (id, "sha256:"))
        id += strlen ("sha256:");
      g_ptr_array_add (images, g_object_new (HERO_VIRT_TYPE_IMAGE_INFO, "id", id, "names", names,
                                             "digest", member_string (obj, "digest"), "size",
                                             member_string (obj, "size"), "created",
                                             MAX (created, 0), NULL));
    }
  return g_steal_pointer (&images);
}

GPtrArray *
buildah_parse_containers (const char *json, GError **error)
{
  g_autoptr (GPtrArray) containers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;

  if (is_blank (json))
    return g_steal_pointer (&containers);
  root = parse_json (json, "buildah containers", error);
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (root))
    return g_steal_pointer (&containers);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "buildah containers did not print a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *obj = element_object (array, i);
      gboolean    builder = TRUE;

      if (obj == NULL)
        continue;
      if (json_object_has_member (obj, "builder"))
        builder = json_object_get_boolean_member (obj, "builder");
      g_ptr_array_add (containers,
                       g_object_new (HERO_VIRT_TYPE_IMAGE_CONTAINER_INFO, "id",
                                     member_string (obj, "id"), "name",
                                     member_string (obj, "containername"), "image-name",
                                     member_string (obj, "imagename"), "image-id",
                                     member_string (obj, "imageid"), "builder", builder, NULL));
    }
  return g_steal_pointer (&containers);
}

HeroVirtImageInfo *
buildah_parse_inspect (const char *json, GError **error)
{
  g_autoptr (JsonNode) root = parse_json (json ? json : "", "buildah inspect", error);
  g_autoptr (GDateTime) created_dt = NULL;
  g_auto (GStrv) names = NULL;
  g_auto (GStrv) entrypoint = NULL, cmd = NULL, env = NULL, labels = NULL, ports = NULL;
  JsonObject *obj, *oci, *config;
  const char *from_image, *created;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "buildah inspect did not print a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);
  oci = member_object (obj, "OCIv1");
  config = member_object (oci, "config");

  from_image = member_string (obj, "FromImage");
  if (from_image != NULL && *from_image != '\0')
    {
      const char *one[] = { from_image, NULL };
      names = g_strdupv ((char **)one);
    }
  created = member_string (oci, "created");
  if (created != NULL)
    created_dt = g_date_time_new_from_iso8601 (created, NULL);
  entrypoint = member_strv (config, "Entrypoint");
  cmd = member_strv (config, "Cmd");
  env = member_strv (config, "Env");
  labels = member_map (config, "Labels", FALSE);
  ports = member_map (config, "ExposedPorts", TRUE);

  return g_object_new (HERO_VIRT_TYPE_IMAGE_INFO, "id", member_string (obj, "FromImageID"), "names",
                       names, "digest", member_string (obj, "FromImageDigest"), "created",
                       created_dt ? MAX (g_date_time_to_unix (created_dt), 0) : 0, "architecture",
                       member_string (oci, "architecture"), "os", member_string (oci, "os"),
                       "author", member_string (oci, "author"), "entrypoint", entrypoint, "cmd",
                       cmd, "env", env, "labels", labels, "working-dir",
                       member_string (config, "WorkingDir"), "user", member_string (config, "User"),
                       "exposed-ports", ports, "json", json, NULL);
}

void
buildah_progress_feed (BuildahProgress *state, const char *line)
{
  guint n, m;

  if (state->progress == NULL || line == NULL || *line == '\0')
    return;

  if (g_str_has_prefix (line, "Copying blob "))
    {
      g_autofree char *short_id = NULL;
      const char      *id = line + strlen ("Copying blob ");

      if (g_str_has_prefix (id, "sha256:"))
        id += strlen ("sha256:");
      short_id = g_strndup (id, MIN (strlen (id), 12));
      state->blobs++;
      {
        g_autofree char *msg = g_strdup_printf ("Copying blob %s", short_id);
        hero_virt_progress_update (state->progress, state->stage, state->blobs, 0, msg);
      }
    }
  else if (g_str_has_prefix (line, "STEP ") && sscanf (line, "STEP %u/%u:", &n, &m) == 2)
    {
      state->step = n;
      state->steps = m;
      hero_virt_progress_update (state->progress, state->stage, n, m, line);
    }
  else if (g_str_has_prefix (line, "Getting image source signatures")
           || g_str_has_prefix (line, "Copying config ")
           || g_str_has_prefix (line, "Writing manifest")
           || g_str_has_prefix (line, "Storing signatures")
           || g_str_has_prefix (line, "Trying to pull ") || g_str_has_prefix (line, "COMMIT "))
    {
      const char      *msg = line;
      g_autofree char *cut = NULL;

      if (g_str_has_prefix (line, "Copying config "))
        msg = cut = g_strndup (line, MIN (strlen (line), strlen ("Copying config sha256:") + 12));
      hero_virt_progress_update (state->progress, state->stage,
                                 state->steps ? state->step : state->blobs, state->steps, msg);
    }
}

void
buildah_progress_done (BuildahProgress *state)
{
  guint total;

  if (state->progress == NULL)
    return;
  total = state->steps ? state->steps : MAX (state->blobs, 1);
  hero_virt_progress_update (state->progress, state->stage, total, total, "done");
}

char *
buildah_registry_host (const char *reference)
{
  const char      *slash = strchr (reference, '/');
  g_autofree char *first = NULL;

  if (slash == NULL)
    return g_strdup ("docker.io");
  first = g_strndup (reference, slash - reference);
  if (strchr (first, '.') != NULL || strchr (first, ':') != NULL
      || strcmp (first, "localhost") == 0)
    return g_steal_pointer (&first);
  return g_strdup ("docker.io");
}
