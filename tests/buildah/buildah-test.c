/* buildah-test.c: the image API against real buildah and docker-registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "fixture.h"
#include "buildah-parse.h"

static HtBuildah *fx;

static HeroVirtExecutor *
executor (void)
{
  return HERO_VIRT_EXECUTOR (fx->executor);
}

static HeroVirtBuilder *
new_builder (const char *name)
{
  HeroVirtBuilder *builder = hero_virt_builder_new (name, HT_BASE_IMAGE);

  hero_virt_builder_set_executor (builder, executor ());
  return builder;
}

static gboolean
container_exists (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = hero_virt_image_list_containers (executor (), NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (hero_virt_image_container_info_get_name (g_ptr_array_index (list, i)), name)
        == 0)
      return TRUE;
  return FALSE;
}

static guint
count_containers (void)
{
  g_autoptr (GPtrArray) list = hero_virt_image_list_containers (executor (), NULL, NULL);

  g_assert_nonnull (list);
  return list->len;
}

/* ---- no backend needed ---- */

static void
test_validate_reference (void)
{
  const char *good[] = { "scratch",
                         "localhost/web:1",
                         "127.0.0.1:5000/team/app:v1.2",
                         "docker.io/library/busybox",
                         "registry.example.com/a/b/c@sha256:"
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                         "16b7af6a4ee14ebb677dd256ec6963b472613a66575af30f049768c042abbc4e",
                         NULL };
  const char *bad[] = { "",
                        "-rf",
                        "--privileged",
                        "Upper/Case",
                        "web:",
                        "a b",
                        "web;rm -rf /",
                        "docker://localhost/web",
                        "localhost/../etc",
                        "web\n",
                        "web:tag:tag",
                        "$(id)",
                        "web@sha256:short",
                        NULL };

  for (guint i = 0; good[i]; i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (hero_virt_validate_image_reference (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (hero_virt_validate_image_reference (bad[i], &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_validate_names_paths (void)
{
  g_autoptr (GError) error = NULL;
  char *path;

  g_assert_true (hero_virt_validate_container_name ("web-1.build_x", NULL));
  g_assert_false (hero_virt_validate_container_name ("-rf", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_validate_container_name ("a/b", NULL));
  g_assert_false (hero_virt_validate_container_name ("a\nb", NULL));
  g_assert_false (hero_virt_validate_container_name ("", NULL));

  path = hero_virt_resolve_host_path ("/ctx", "sub/./file", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/ctx/sub/file");
  g_free (path);
  path = hero_virt_resolve_host_path ("/ctx", "a/../b", &error);
  g_assert_cmpstr (path, ==, "/ctx/b");
  g_free (path);
  g_assert_null (hero_virt_resolve_host_path ("/ctx", "../etc/passwd", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_resolve_host_path ("/ctx", "a/../../x", &error));
  g_clear_error (&error);
  g_assert_null (hero_virt_resolve_host_path (NULL, "/ctx/../etc", &error));
  g_clear_error (&error);
  g_assert_null (hero_virt_resolve_host_path (NULL, "relative", &error));
  g_clear_error (&error);
  g_assert_null (hero_virt_resolve_host_path ("/ctx", "a\nb", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
}

/* buildah's JSON nested 200 000 deep (json-glib alone runs out of stack):
 * each parser returns an error. */
static void
test_parse_deep (void)
{
  const guint      n = 200000;
  GString         *s = g_string_new (NULL);
  g_autofree char *deep = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (HeroVirtImageInfo) info = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append (s, "[{\"a\":");
  deep = g_string_free (s, FALSE);
  list = buildah_parse_images (deep, &error);
  g_assert_null (list);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  list = buildah_parse_containers (deep, &error);
  g_assert_null (list);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  info = buildah_parse_inspect (deep, &error);
  g_assert_null (info);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  /* non-object rows are skipped, not a json-glib critical */
  list = buildah_parse_images ("[1, \"x\", null]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_parse_samples (void)
{
  /* Real output of buildah 1.28 (`images --json --no-trunc`,
   * `containers --json`, `inspect --type image`), trimmed. */
  const char *images
      = "[\n {\n \"id\": "
        "\"sha256:16b7af6a4ee14ebb677dd256ec6963b472613a66575af30f049768c042abbc4e\",\n"
        " \"names\": [\"localhost/bb:1\"],\n \"digest\": \"sha256:1233\",\n \"createdat\": \"13 "
        "minutes ago\",\n"
        " \"size\": \"2.13 MB\",\n \"created\": 1795863509,\n \"readonly\": false,\n \"history\": "
        "null\n }\n]\n";
  const char *containers = "[{\"id\": \"18b1199991e9\", \"builder\": true, \"imageid\": \"\", "
                           "\"imagename\": \"scratch\", "
                           "\"containername\": \"web\"}]";
  const char *inspect
      = "{\"Type\": \"buildah 0.0.1\", \"FromImage\": \"localhost/bb:2\", \"FromImageID\": "
        "\"32cd5b\", "
        "\"FromImageDigest\": \"sha256:67ce\", \"OCIv1\": {\"created\": "
        "\"2026-11-28T11:11:35.022556961Z\", "
        "\"author\": \"me\", \"architecture\": \"amd64\", \"os\": \"linux\", \"config\": "
        "{\"User\": \"root\", "
        "\"ExposedPorts\": {\"8080\": {}}, \"Env\": [\"A=1\"], \"Entrypoint\": [\"/bin/httpd\", "
        "\"-f\"], "
        "\"Cmd\": [\"-p\", \"8080\"], \"WorkingDir\": \"/www\", \"Labels\": {\"x\": \"y\"}}}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = buildah_parse_images (images, &error);
  g_autoptr (GPtrArray) ctrs = NULL;
  g_autoptr (HeroVirtImageInfo) info = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  BuildahProgress state = { progress, "push", 0, 0, 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (hero_virt_image_info_get_id (g_ptr_array_index (list, 0)), ==,
                   "16b7af6a4ee14ebb677dd256ec6963b472613a66575af30f049768c042abbc4e");
  g_assert_cmpstr (hero_virt_image_info_get_names (g_ptr_array_index (list, 0))[0], ==,
                   "localhost/bb:1");
  g_assert_cmpint (hero_virt_image_info_get_created (g_ptr_array_index (list, 0)), ==, 1795863509);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = buildah_parse_images ("", &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_null (buildah_parse_images ("[{", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);

  ctrs = buildah_parse_containers (containers, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_image_container_info_get_name (g_ptr_array_index (ctrs, 0)), ==,
                   "web");
  g_assert_true (hero_virt_image_container_info_get_builder (g_ptr_array_index (ctrs, 0)));

  info = buildah_parse_inspect (inspect, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_image_info_get_entrypoint (info)[0], ==, "/bin/httpd");
  g_assert_cmpstr (hero_virt_image_info_get_label (info, "x"), ==, "y");
  g_assert_cmpstr (hero_virt_image_info_get_exposed_ports (info)[0], ==, "8080");
  g_assert_cmpstr (hero_virt_image_info_get_working_dir (info), ==, "/www");
  g_assert_cmpint (hero_virt_image_info_get_created (info), >, 0);

  buildah_progress_feed (&state, "Getting image source signatures");
  buildah_progress_feed (
      &state,
      "Copying blob sha256:20168a5489ce1ccee187afc45ca736c4918c1c214f9a1cb5e1125603b903badb");
  g_assert_cmpuint (hero_virt_progress_get_current (progress), ==, 1);
  g_assert_cmpstr (hero_virt_progress_get_message (progress), ==, "Copying blob 20168a5489ce");
  buildah_progress_feed (&state, "Writing manifest to image destination");
  buildah_progress_done (&state);
  g_assert_cmpfloat (hero_virt_progress_get_fraction (progress), ==, 1.0);
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "push");
}

/* ---- real buildah ---- */

static void
test_bad_input_runs_nothing (void)
{
  guint before = count_containers ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtBuilder) dash = new_builder ("--privileged");
  g_autoptr (HeroVirtBuilder) badbase = hero_virt_builder_new ("ok-name", "Bad Reference");
  g_autoptr (HeroVirtBuilder) good = new_builder ("hv-bad-input");
  g_autoptr (HeroVirtImageRegistryOptions) opts = hero_virt_image_registry_options_new ();

  g_assert_null (hero_virt_builder_run (dash, "true", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "step run"));
  g_clear_error (&error);

  hero_virt_builder_set_executor (badbase, executor ());
  g_assert_null (hero_virt_builder_commit (badbase, "localhost/x:1", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (container_exists ("ok-name"));

  /* Step arguments are checked before the container is even created. */
  g_assert_null (hero_virt_builder_copy (good, "../../etc/passwd", "/x", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_builder_copy (good, "/etc/../etc/shadow", "/x", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_builder_write (good, "x", "/etc/a\nb", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_builder_write (good, "x", "relative", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_builder_commit (good, "-x", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (container_exists ("hv-bad-input"));

  g_assert_null (hero_virt_image_pull ("--help", NULL, NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (
      hero_virt_image_push (HT_BASE_IMAGE, "docker://-x/y", opts, NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_image_tag (HT_BASE_IMAGE, "localhost/x;id", executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_image_build ("/tmp", "../Containerfile", "localhost/x:1", NULL, NULL,
                                        NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Bad configuration fails the step that applies it, before buildah runs. */
  hero_virt_builder_add_port (good, "80; rm -rf /");
  g_assert_null (hero_virt_builder_apply_config (good, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_nonnull (hero_virt_builder_remove (good, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_containers (), ==, before);
}

static void
test_builder_chain (void)
{
  g_autoptr (HeroVirtBuilder) b = new_builder ("hv-chain");
  g_autoptr (HeroVirtBuilder) again = NULL;
  g_autoptr (HeroVirtImageInfo) info = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) mode = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ctx = g_build_filename (fx->dir, "context", NULL);
  g_autofree char *file = g_build_filename (ctx, "hello.txt", NULL);
  g_autofree char *image_id = NULL;
  const char      *stat_argv[] = { "stat", "-c", "%a", "/usr/local/bin/tool", NULL };

  g_mkdir_with_parents (ctx, 0755);
  g_assert_true (g_file_set_contents (file, "from the context\n", -1, NULL));
  hero_virt_builder_set_context_dir (b, ctx);

  g_assert_nonnull (hero_virt_builder_run (b, "mkdir -p /www /usr/local/bin && echo built > /built",
                                           NULL, &error));
  g_assert_no_error (error);
  hero_virt_builder_write (b, "<h1>hi</h1>", "/www/index.html", NULL, &error);
  g_assert_no_error (error);
  hero_virt_builder_write_with_mode (b, "#!/bin/sh\necho tool\n", "/usr/local/bin/tool", 0755, NULL,
                                     &error);
  g_assert_no_error (error);
  hero_virt_builder_copy (b, "hello.txt", "/www/hello.txt", NULL, &error);
  g_assert_no_error (error);
  hero_virt_builder_set_working_dir (b, "/www");
  hero_virt_builder_set_env (b, "GREETING", "hello world");
  /* WORKDIR and ENV apply to later run steps. */
  hero_virt_builder_run (b, "test \"$(pwd)\" = /www && test \"$GREETING\" = 'hello world'", NULL,
                         &error);
  g_assert_no_error (error);
  mode = hero_virt_builder_read (b, "/www/hello.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (mode, NULL), g_bytes_get_size (mode), "from the context\n",
                   17);
  g_clear_pointer (&mode, g_bytes_unref);
  hero_virt_builder_run_argv (b, stat_argv, NULL, &error);
  g_assert_no_error (error);

  hero_virt_builder_set_entrypoint (
      b, (const char *const[]){ "/bin/httpd", "-f", "-p", "8080", "-h", "/www", NULL });
  hero_virt_builder_set_cmd (b, (const char *const[]){ "-v", NULL });
  hero_virt_builder_set_label (b, "org.example.role", "web");
  hero_virt_builder_set_annotation (b, "org.example.note", "test");
  hero_virt_builder_set_user (b, "0:0");
  hero_virt_builder_add_port (b, "8080/tcp");
  hero_virt_builder_add_volume (b, "/data");
  hero_virt_builder_set_author (b, "HeroVirt tests");
  hero_virt_builder_set_stop_signal (b, "SIGINT");
  hero_virt_builder_set_healthcheck (b, "wget -q -O- http://127.0.0.1:8080/ || exit 1", 30, 5, 2,
                                     3);
  hero_virt_builder_set_format (b, "docker");
  g_assert_nonnull (hero_virt_builder_commit (b, "localhost/hv-test/web:1", NULL, &error));
  g_assert_no_error (error);
  image_id = hero_virt_builder_dup_image_id (b);
  g_assert_cmpuint (strlen (image_id), ==, 64);

  info = hero_virt_image_inspect ("localhost/hv-test/web:1", executor (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_image_info_get_id (info), ==, image_id);
  g_assert_cmpstr (hero_virt_image_info_get_entrypoint (info)[5], ==, "/www");
  g_assert_cmpstr (hero_virt_image_info_get_cmd (info)[0], ==, "-v");
  g_assert_cmpstr (hero_virt_image_info_get_label (info, "org.example.role"), ==, "web");
  g_assert_cmpstr (hero_virt_image_info_get_working_dir (info), ==, "/www");
  g_assert_cmpstr (hero_virt_image_info_get_user (info), ==, "0:0");
  g_assert_cmpstr (hero_virt_image_info_get_author (info), ==, "HeroVirt tests");
  g_assert_true (g_strv_contains (hero_virt_image_info_get_env (info), "GREETING=hello world"));
  g_assert_nonnull (strstr (hero_virt_image_info_get_json (info),
                            "wget -q -O- http://127.0.0.1:8080/ || exit 1"));
  g_assert_nonnull (strstr (hero_virt_image_info_get_json (info), "SIGINT"));

  /* A builder of the same name picks up the existing working container. */
  again = new_builder ("hv-chain");
  bytes = hero_virt_builder_read (again, "/built", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "built\n", 6);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A failing step names itself and keeps the container. */
  g_assert_null (hero_virt_builder_run (again, "echo oops >&2; exit 7", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_assert_nonnull (strstr (error->message, "step run “echo oops"));
  g_assert_nonnull (strstr (error->message, "status 7"));
  g_assert_nonnull (strstr (error->message, "oops"));
  g_clear_error (&error);

  /* reset: a fresh container from the base image. */
  g_assert_nonnull (hero_virt_builder_reset (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (hero_virt_builder_read (again, "/built", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_clear_error (&error);

  hero_virt_builder_set_squash (again, TRUE);
  g_assert_nonnull (hero_virt_builder_commit (again, "localhost/hv-test/squashed:1", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_builder_remove (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (container_exists ("hv-chain"));
  /* Removing again is not an error. */
  g_assert_nonnull (hero_virt_builder_remove (b, NULL, &error));
  g_assert_no_error (error);
}

static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
on_progress (HeroVirtProgress *progress, gpointer user_data)
{
  GPtrArray *messages = user_data;

  g_ptr_array_add (messages, g_strdup (hero_virt_progress_get_message (progress)));
}

static void
test_builder_async_progress (void)
{
  g_autoptr (HeroVirtBuilder) b = new_builder ("hv-async");
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) content = g_bytes_new_static ("async\n", 6);
  g_autoptr (GBytes) back = NULL;
  g_autoptr (GError) error = NULL;

  g_signal_connect (progress, "changed", G_CALLBACK (on_progress), messages);
  hero_virt_builder_set_progress (b, progress);

  hero_virt_builder_write_bytes_async (b, content, "/async.txt", 0600, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hero_virt_builder_write_bytes_finish (b, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  hero_virt_builder_read_async (b, "/async.txt", NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  back = hero_virt_builder_read_finish (b, result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), "async\n", 6);
  g_clear_object (&result);

  hero_virt_builder_commit_async (b, "localhost/hv-test/async:1", NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hero_virt_builder_commit_finish (b, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Updates from the worker thread arrive in this context (coalesced). */
  g_assert_cmpuint (messages->len, >=, 1);
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "commit");
  g_assert_true (g_ptr_array_find_with_equal_func (messages, "done", g_str_equal, NULL));
  g_assert_cmpfloat (hero_virt_progress_get_fraction (progress), ==, 1.0);

  hero_virt_builder_remove_async (b, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hero_virt_builder_remove_finish (b, result, &error));
  g_assert_no_error (error);
}

/* Async steps started back to back, without waiting for each other, run
 * one at a time in the order they were started: the configuration set
 * before the run applies to it, the read sees the write, the commit has
 * both. */
static void
test_builder_async_queue (void)
{
  g_autoptr (HeroVirtBuilder) b = new_builder ("hv-async-queue");
  GAsyncResult *results[5] = { NULL };
  g_autoptr (GBytes) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *image_id = NULL;

  hero_virt_builder_set_working_dir (b, "/tmp");
  hero_virt_builder_run_async (b, "pwd > /where", NULL, async_done, &results[0]);
  hero_virt_builder_write_async (b, "queued\n", "/queued.txt", NULL, async_done, &results[1]);
  hero_virt_builder_read_async (b, "/where", NULL, async_done, &results[2]);
  hero_virt_builder_commit_async (b, "localhost/hv-test/queue:1", NULL, async_done, &results[3]);
  hero_virt_builder_remove_async (b, NULL, async_done, &results[4]);
  while (results[4] == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (hero_virt_builder_run_finish (b, results[0], &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_builder_write_finish (b, results[1], &error));
  g_assert_no_error (error);
  back = hero_virt_builder_read_finish (b, results[2], &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), "/tmp\n", 5);
  g_assert_true (hero_virt_builder_commit_finish (b, results[3], &error));
  g_assert_no_error (error);
  image_id = hero_virt_builder_dup_image_id (b);
  g_assert_nonnull (image_id);
  g_assert_true (hero_virt_builder_remove_finish (b, results[4], &error));
  g_assert_no_error (error);
  g_assert_false (container_exists ("hv-async-queue"));
  g_assert_true (
      hero_virt_image_remove ("localhost/hv-test/queue:1", TRUE, executor (), NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_clear_object (&results[i]);
}

/* Async errors name the step, give the turn back and leave nothing
 * behind: bad input fails before the container exists, a failing command
 * after it; the next step runs. */
static void
test_builder_async_errors (void)
{
  g_autoptr (HeroVirtBuilder) b = new_builder ("hv-async-errors");
  GAsyncResult *results[4] = { NULL };
  g_autoptr (GError) error = NULL;

  hero_virt_builder_copy_async (b, "../../etc/passwd", "/x", NULL, async_done, &results[0]);
  hero_virt_builder_run_async (b, "exit 3", NULL, async_done, &results[1]);
  hero_virt_builder_run_argv_async (b, (const char *const[]){ "true", NULL }, NULL, async_done,
                                    &results[2]);
  hero_virt_builder_remove_async (b, NULL, async_done, &results[3]);
  while (results[3] == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (hero_virt_builder_copy_finish (b, results[0], &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "step copy"));
  g_clear_error (&error);
  g_assert_false (hero_virt_builder_run_finish (b, results[1], &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_assert_nonnull (strstr (error->message, "step run “exit 3”"));
  g_clear_error (&error);
  g_assert_true (hero_virt_builder_run_argv_finish (b, results[2], &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_builder_remove_finish (b, results[3], &error));
  g_assert_no_error (error);
  g_assert_false (container_exists ("hv-async-errors"));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_clear_object (&results[i]);
}

static void
test_image_functions (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (HeroVirtImageInfo) info = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autofree char *ctx = g_build_filename (fx->dir, "build-ctx", NULL);
  g_autofree char *file = g_build_filename (ctx, "Containerfile", NULL);
  g_autofree char *id = NULL;
  gboolean         found = FALSE;

  g_assert_true (
      hero_virt_image_tag (HT_BASE_IMAGE, "localhost/hv-test/tagged:2", executor (), NULL, &error));
  g_assert_no_error (error);
  images = hero_virt_image_list (executor (), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < images->len; i++)
    if (g_strv_contains (hero_virt_image_info_get_names (g_ptr_array_index (images, i)),
                         "localhost/hv-test/tagged:2"))
      found = TRUE;
  g_assert_true (found);
  g_assert_true (
      hero_virt_image_remove ("localhost/hv-test/tagged:2", FALSE, executor (), NULL, &error));
  g_assert_no_error (error);
  g_assert_null (hero_virt_image_inspect ("localhost/hv-test/tagged:2", executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_mkdir_with_parents (ctx, 0755);
  g_assert_true (g_file_set_contents (file,
                                      "FROM " HT_BASE_IMAGE "\n"
                                      "ARG WHO=nobody\n"
                                      "RUN echo \"hello $WHO\" > /greeting\n"
                                      "LABEL built=containerfile\n",
                                      -1, NULL));
  id = hero_virt_image_build (ctx, "Containerfile", "localhost/hv-test/built:1",
                              (const char *const[]){ "WHO=tests", NULL }, NULL, progress,
                              executor (), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (hero_virt_progress_get_total (progress), ==, 4);
  info = hero_virt_image_inspect ("localhost/hv-test/built:1", executor (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_image_info_get_label (info, "built"), ==, "containerfile");
  g_assert_true (g_str_has_prefix (id, hero_virt_image_info_get_id (info))
                 || g_str_has_prefix (hero_virt_image_info_get_id (info), id));
}

/* ---- registries ---- */

static char *
registry_ref (HtRegistry *registry, const char *repo)
{
  return g_strdup_printf ("%s/%s", registry->address, repo);
}

static void
push_pull_roundtrip (HtRegistry *registry, HeroVirtImageRegistryOptions *options, const char *repo)
{
  g_autofree char *dest = registry_ref (registry, repo);
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  g_signal_connect (progress, "changed", G_CALLBACK (on_progress), messages);
  g_assert_true (
      hero_virt_image_push (HT_BASE_IMAGE, dest, options, progress, executor (), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (
      messages, "Writing manifest to image destination", g_str_equal, NULL));
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "push");

  id = hero_virt_image_pull (dest, options, progress, executor (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id), ==, 64);
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "pull");
  g_assert_true (hero_virt_image_remove (dest, FALSE, executor (), NULL, &error));
  g_assert_no_error (error);
}

static void
test_registry_http (void)
{
  HtRegistry *registry = ht_registry_start (fx->dir, HT_REGISTRY_HTTP);
  g_autoptr (HeroVirtImageRegistryOptions) insecure = hero_virt_image_registry_options_new ();
  g_autofree char *dest = NULL;
  g_autoptr (GError) error = NULL;

  if (registry == NULL)
    return;
  dest = registry_ref (registry, "hv/http:1");
  /* TLS is verified unless turned off: plain HTTP is refused. */
  g_assert_false (
      hero_virt_image_push (HT_BASE_IMAGE, dest, NULL, NULL, executor (), NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "HTTP response to HTTPS client"));
  g_clear_error (&error);

  hero_virt_image_registry_options_set_tls_verify (insecure, FALSE);
  push_pull_roundtrip (registry, insecure, "hv/http:1");
  ht_registry_stop (registry);
}

static void
test_registry_tls (void)
{
  HtRegistry *registry = ht_registry_start (fx->dir, HT_REGISTRY_TLS);
  g_autoptr (HeroVirtImageRegistryOptions) trusted = hero_virt_image_registry_options_new ();
  g_autoptr (HeroVirtImageRegistryOptions) untrusted = hero_virt_image_registry_options_new ();
  g_autofree char *dest = NULL;
  g_autoptr (GError) error = NULL;

  if (registry == NULL)
    return;
  dest = registry_ref (registry, "hv/tls:1");
  /* The self-signed CA is not trusted by default. */
  g_assert_false (
      hero_virt_image_push (HT_BASE_IMAGE, dest, untrusted, NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY);
  g_clear_error (&error);

  hero_virt_image_registry_options_set_cert_dir (trusted, registry->cert_dir);
  push_pull_roundtrip (registry, trusted, "hv/tls:1");
  ht_registry_stop (registry);
}

static GPtrArray *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_logs == NULL)
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      g_ptr_array_add (captured_logs, g_strdup (fields[i].value));
  return G_LOG_WRITER_HANDLED;
}

static guint
count_temp_dirs (void)
{
  g_autoptr (GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint       n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "hero-virt."))
      n++;
  return n;
}

static void
test_registry_auth (void)
{
  HtRegistry *registry = ht_registry_start (fx->dir, HT_REGISTRY_TLS_AUTH);
  g_autoptr (HeroVirtImageRegistryOptions) right = hero_virt_image_registry_options_new ();
  g_autoptr (HeroVirtImageRegistryOptions) wrong = hero_virt_image_registry_options_new ();
  g_autoptr (HeroVirtImageRegistryOptions) anonymous = hero_virt_image_registry_options_new ();
  g_autofree char *dest = NULL;
  g_autoptr (GError) error = NULL;
  guint temp_dirs = count_temp_dirs ();

  if (registry == NULL)
    return;
  dest = registry_ref (registry, "hv/auth:1");
  hero_virt_image_registry_options_set_cert_dir (right, registry->cert_dir);
  hero_virt_image_registry_options_set_credentials (right, HT_REGISTRY_USER, HT_REGISTRY_PASSWORD);
  hero_virt_image_registry_options_set_cert_dir (wrong, registry->cert_dir);
  hero_virt_image_registry_options_set_credentials (wrong, HT_REGISTRY_USER, "not-the-Pa55word");
  hero_virt_image_registry_options_set_cert_dir (anonymous, registry->cert_dir);

  g_assert_false (
      hero_virt_image_push (HT_BASE_IMAGE, dest, anonymous, NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH);
  g_clear_error (&error);

  /* Every log line (debug included) is captured: no password may show. */
  captured_logs = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_assert_false (
      hero_virt_image_push (HT_BASE_IMAGE, dest, wrong, NULL, executor (), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH);
  g_assert_null (strstr (error->message, "not-the-Pa55word"));
  g_clear_error (&error);
  push_pull_roundtrip (registry, right, "hv/auth:1");
  for (guint i = 0; i < captured_logs->len; i++)
    {
      const char *line = g_ptr_array_index (captured_logs, i);
      g_assert_null (strstr (line, HT_REGISTRY_PASSWORD));
      g_assert_null (strstr (line, "not-the-Pa55word"));
      g_assert_null (strstr (line, "--creds"));
    }
  g_assert_cmpuint (captured_logs->len, >, 0);
  g_clear_pointer (&captured_logs, g_ptr_array_unref);

  /* The private auth directories are gone. */
  g_assert_cmpuint (count_temp_dirs (), ==, temp_dirs);
  ht_registry_stop (registry);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Debug output on, so the log capture sees every command line; on
   * stderr, where it cannot be mistaken for TAP. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_writer_default_set_use_stderr (TRUE);

  g_test_add_func ("/buildah/validate/reference", test_validate_reference);
  g_test_add_func ("/buildah/validate/names-paths", test_validate_names_paths);
  g_test_add_func ("/buildah/parse/samples", test_parse_samples);
  g_test_add_func ("/buildah/parse/deep", test_parse_deep);

  fx = ht_buildah_new ();
  if (fx != NULL)
    {
      ht_buildah_build_base (fx);
      g_test_add_func ("/buildah/bad-input", test_bad_input_runs_nothing);
      g_test_add_func ("/buildah/builder/chain", test_builder_chain);
      g_test_add_func ("/buildah/builder/async-progress", test_builder_async_progress);
      g_test_add_func ("/buildah/builder/async-queue", test_builder_async_queue);
      g_test_add_func ("/buildah/builder/async-errors", test_builder_async_errors);
      g_test_add_func ("/buildah/images", test_image_functions);
      g_test_add_func ("/buildah/registry/http", test_registry_http);
      g_test_add_func ("/buildah/registry/tls", test_registry_tls);
      g_test_add_func ("/buildah/registry/auth", test_registry_auth);
    }
  ret = g_test_run ();
  ht_buildah_free (fx);
  return ret;
}
