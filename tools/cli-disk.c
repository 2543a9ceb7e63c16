/* cli-disk.c: hero-virt disk create|info|snapshot|resize|convert|check|base-image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cli-common.h"

#include <stdio.h>
#include <string.h>

/* Every disk command takes --provider to pick a disk provider by name
 * (the same as HERO_VIRT_DISK=name, but for one call). The commands on an
 * existing image also take its format (never guessed from its bytes) and
 * whether it may have a backing file or an external data file. */
static char    *opt_provider;
static char    *opt_image_format;
static gboolean opt_allow_backing;
static gboolean opt_allow_data_file;

#define PROVIDER_ENTRY                                                                             \
  {                                                                                                \
    "provider", 'p', 0, G_OPTION_ARG_STRING, &opt_provider,                                        \
        "Use this disk provider instead of the default", "NAME"                                    \
  }

#define OPEN_ENTRIES                                                                               \
  PROVIDER_ENTRY,                                                                                  \
      { "image-format",                                                                            \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_STRING,                                                                       \
        &opt_image_format,                                                                         \
        "The image's format: qcow2 (default) or raw",                                              \
        "FMT" },                                                                                   \
      { "allow-backing-file",                                                                      \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_NONE,                                                                         \
        &opt_allow_backing,                                                                        \
        "Allow an image with a backing file (an overlay)",                                         \
        NULL },                                                                                    \
  {                                                                                                \
    "allow-data-file", 0, 0, G_OPTION_ARG_NONE, &opt_allow_data_file,                              \
        "Allow an image with an external data file", NULL                                          \
  }

static HeroVirtDisk *
open_disk (const char *path, GError **error)
{
  g_autoptr (GObject) provider = NULL;

  if (opt_provider != NULL)
    {
      provider = hero_virt_registry_get_provider (
          hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_DISK, opt_provider, error);
      if (provider == NULL)
        return NULL;
    }
  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "provider", provider, "format",
                       opt_image_format, "allow-backing-file", opt_allow_backing, "allow-data-file",
                       opt_allow_data_file, NULL);
}

static gboolean
parse_size_arg (const char *what, const char *text, guint64 *out, int *status)
{
  g_autoptr (GError) error = NULL;

  if (hv_cli_parse_size (text, out, &error))
    return TRUE;
  g_prefix_error (&error, "%s: ", what);
  *status = hv_cli_report_error (error);
  return FALSE;
}

/* --- create --- */

static int
cmd_create (int argc, char **argv)
{
  g_autofree char   *backing = NULL, *backing_format = NULL, *cluster = NULL;
  g_autofree char   *compat = NULL, *format = NULL;
  gboolean           lazy_refcounts = FALSE;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
            "Image format (default: the provider's, qcow2)", "FMT" },
          { "backing", 'b', 0, G_OPTION_ARG_FILENAME, &backing,
            "Backing file (copy-on-write overlay)", "FILE" },
          { "backing-format", 'F', 0, G_OPTION_ARG_STRING, &backing_format,
            "Format of the backing file", "FMT" },
          { "cluster-size", 0, 0, G_OPTION_ARG_STRING, &cluster,
            "Cluster size, a power of two from 512 to 2M", "SIZE" },
          { "compat", 0, 0, G_OPTION_ARG_STRING, &compat, "qcow2 version: 0.10 or 1.1", "VERSION" },
          { "lazy-refcounts", 0, 0, G_OPTION_ARG_NONE, &lazy_refcounts,
            "Enable lazy refcounts (compat 1.1)", NULL },
          { NULL } };
  g_autoptr (HeroVirtDiskCreateOptions) options = NULL;
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (GError) error = NULL;
  guint64 size, cluster_size = 0;
  int     status;

  if (!hv_cli_parse_args ("disk create", "PATH SIZE",
                          "Creates a disk image. SIZE is in bytes or has a K, M, G, T suffix "
                          "(binary: 10G = 10 GiB).",
                          entries, &argc, &argv, 2, 2, &status))
    return status;
  if (!parse_size_arg ("SIZE", argv[2], &size, &status))
    return status;
  if (cluster != NULL && !parse_size_arg ("--cluster-size", cluster, &cluster_size, &status))
    return status;
  if (cluster_size > G_MAXUINT)
    return hv_cli_usage_error ("disk create", "--cluster-size %s is too large", cluster);
  if (backing_format != NULL && backing == NULL)
    return hv_cli_usage_error ("disk create", "--backing-format needs --backing");

  options = hero_virt_disk_create_options_new (size);
  if (format != NULL)
    hero_virt_disk_create_options_set_format (options, format);
  if (backing != NULL)
    hero_virt_disk_create_options_set_backing_file (options, backing, backing_format);
  if (cluster_size != 0)
    hero_virt_disk_create_options_set_cluster_size (options, (guint)cluster_size);
  if (compat != NULL)
    hero_virt_disk_create_options_set_compat (options, compat);
  if (lazy_refcounts)
    hero_virt_disk_create_options_set_lazy_refcounts (options, TRUE);

  if (!hero_virt_disk_create_options_validate (options, &error)
      || !(disk = open_disk (argv[1], &error))
      || !hero_virt_disk_create_with_options (disk, options, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);

  {
    g_autofree char *human = hv_cli_format_size (size);
    g_print ("Created %s (%s)\n", argv[1], human);
  }
  return HV_CLI_EXIT_OK;
}

/* --- info --- */

static void
print_snapshot_table (GPtrArray *snapshots)
{
  g_print ("%-4s %-20s %10s %-19s %15s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK");
  for (guint i = 0; i < snapshots->len; i++)
    {
      HeroVirtDiskSnapshot *s = snapshots->pdata[i];
      g_autoptr (GDateTime) date
          = g_date_time_new_from_unix_local (hero_virt_disk_snapshot_get_date_sec (s));
      g_autofree char *date_text
          = date ? g_date_time_format (date, "%Y-%m-%d %H:%M:%S") : g_strdup ("-");
      g_autofree char *vm_size = hv_cli_format_size (hero_virt_disk_snapshot_get_vm_state_size (s));
      gint64           clock = hero_virt_disk_snapshot_get_vm_clock_sec (s);
      g_autofree char *clock_text = g_strdup_printf (
          "%04" G_GINT64_FORMAT ":%02d:%02d.%03d", clock / 3600, (int)(clock / 60 % 60),
          (int)(clock % 60), (int)(hero_virt_disk_snapshot_get_vm_clock_nsec (s) / 1000000));

      g_print ("%-4s %-20s %10s %-19s %15s\n", hero_virt_disk_snapshot_get_id (s),
               hero_virt_disk_snapshot_get_name (s), vm_size, date_text, clock_text);
    }
}

static void
print_info (HeroVirtDiskInfo *info)
{
  g_autofree char *virtual_size = hv_cli_format_size (hero_virt_disk_info_get_virtual_size (info));
  g_autofree char *actual_size = hv_cli_format_size (hero_virt_disk_info_get_actual_size (info));
  g_autoptr (GPtrArray) snapshots = hero_virt_disk_info_get_snapshots (info);
  const char *backing = hero_virt_disk_info_get_backing_filename (info);
  const char *compat = hero_virt_disk_info_get_compat (info);

  g_print ("image: %s\n", hero_virt_disk_info_get_filename (info));
  g_print ("file format: %s\n", hero_virt_disk_info_get_format (info));
  g_print ("virtual size: %s (%" G_GUINT64_FORMAT " bytes)\n", virtual_size,
           hero_virt_disk_info_get_virtual_size (info));
  g_print ("disk size: %s\n", actual_size);
  if (hero_virt_disk_info_get_cluster_size (info) != 0)
    g_print ("cluster_size: %" G_GUINT64_FORMAT "\n", hero_virt_disk_info_get_cluster_size (info));
  if (backing != NULL)
    {
      g_print ("backing file: %s\n", backing);
      if (hero_virt_disk_info_get_backing_format (info))
        g_print ("backing file format: %s\n", hero_virt_disk_info_get_backing_format (info));
    }
  if (compat != NULL)
    {
      g_print ("compat: %s\n", compat);
      g_print ("lazy refcounts: %s\n",
               hero_virt_disk_info_get_lazy_refcounts (info) ? "true" : "false");
      g_print ("refcount bits: %u\n", hero_virt_disk_info_get_refcount_bits (info));
      g_print ("corrupt: %s\n", hero_virt_disk_info_get_corrupt (info) ? "true" : "false");
    }
  if (hero_virt_disk_info_get_dirty (info))
    g_print ("dirty: true\n");
  if (snapshots->len > 0)
    {
      g_print ("Snapshot list:\n");
      print_snapshot_table (snapshots);
    }
}

static int
cmd_info (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[]
      = { OPEN_ENTRIES,
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print qemu-img's JSON", NULL },
          { NULL } };
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("disk info", "PATH", "Shows what a disk image is.", entries, &argc, &argv,
                          1, 1, &status))
    return status;
  if (!(disk = open_disk (argv[1], &error))
      || !(info = hero_virt_disk_info (disk, hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);

  if (json)
    hv_cli_print_json (hero_virt_disk_info_get_json_node (info));
  else
    print_info (info);
  return HV_CLI_EXIT_OK;
}

/* --- snapshot --- */

static int
snapshot_action (const char *action, int argc, char **argv)
{
  const GOptionEntry entries[] = { OPEN_ENTRIES, { NULL } };
  g_autofree char   *path = g_strdup_printf ("disk snapshot %s", action);
  const char *summary = g_str_equal (action, "create") ? "Takes an internal snapshot called NAME."
                        : g_str_equal (action, "delete")
                            ? "Deletes the internal snapshot called NAME."
                            : "Reverts the image to the internal snapshot called NAME.";
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;
  int      status;

  if (!hv_cli_parse_args (path, "PATH NAME", summary, entries, &argc, &argv, 2, 2, &status))
    return status;
  if (!hero_virt_validate_snapshot_name (argv[2], &error) || !(disk = open_disk (argv[1], &error)))
    return hv_cli_report_error (error);

  if (g_str_equal (action, "create"))
    ok = hero_virt_disk_snapshot_create (disk, argv[2], hv_cli_get_cancellable (), &error);
  else if (g_str_equal (action, "delete"))
    ok = hero_virt_disk_snapshot_delete (disk, argv[2], hv_cli_get_cancellable (), &error);
  else
    ok = hero_virt_disk_snapshot_apply (disk, argv[2], hv_cli_get_cancellable (), &error);
  if (!ok)
    return hv_cli_report_error (error);

  g_print ("%s snapshot '%s' of %s\n",
           g_str_equal (action, "create")   ? "Created"
           : g_str_equal (action, "delete") ? "Deleted"
                                            : "Applied",
           argv[2], argv[1]);
  return HV_CLI_EXIT_OK;
}

static int
cmd_snapshot_create (int argc, char **argv)
{
  return snapshot_action ("create", argc, argv);
}
static int
cmd_snapshot_delete (int argc, char **argv)
{
  return snapshot_action ("delete", argc, argv);
}
static int
cmd_snapshot_apply (int argc, char **argv)
{
  return snapshot_action ("apply", argc, argv);
}

static int
cmd_snapshot_list (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[] = { OPEN_ENTRIES,
                                   { "json", 0, 0, G_OPTION_ARG_NONE, &json,
                                     "Print JSON (qemu-img's snapshot objects)", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("disk snapshot list", "PATH",
                          "Lists the internal snapshots of a disk image.", entries, &argc, &argv, 1,
                          1, &status))
    return status;
  if (!(disk = open_disk (argv[1], &error))
      || !(info = hero_virt_disk_info (disk, hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);
  snapshots = hero_virt_disk_info_get_snapshots (info);

  if (json)
    {
      JsonNode   *root = hero_virt_disk_info_get_json_node (info);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      JsonNode   *list = object ? json_object_get_member (object, "snapshots") : NULL;
      g_autoptr (JsonNode) empty = NULL;

      if (list == NULL)
        {
          empty = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (empty, json_array_new ());
          list = empty;
        }
      hv_cli_print_json (list);
    }
  else if (snapshots->len == 0)
    g_print ("%s has no snapshots\n", argv[1]);
  else
    print_snapshot_table (snapshots);
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand snapshot_commands[]
    = { { "create", "PATH NAME", "Take an internal snapshot", cmd_snapshot_create },
        { "list", "PATH [--json]", "List the internal snapshots", cmd_snapshot_list },
        { "delete", "PATH NAME", "Delete an internal snapshot", cmd_snapshot_delete },
        { "apply", "PATH NAME", "Revert the image to a snapshot", cmd_snapshot_apply },
        { NULL } };

static int
cmd_snapshot (int argc, char **argv)
{
  /* argv[0] is "snapshot": hand the dispatcher "disk snapshot" context. */
  return hv_cli_dispatch ("disk snapshot", snapshot_commands, argc, argv);
}

/* --- resize --- */

static int
cmd_resize (int argc, char **argv)
{
  gboolean           shrink = FALSE;
  const GOptionEntry entries[] = { OPEN_ENTRIES,
                                   { "shrink", 0, 0, G_OPTION_ARG_NONE, &shrink,
                                     "Allow making the image smaller (loses data)", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (GError) error = NULL;
  const char *size_text;
  guint64     size;
  int         status;

  if (!hv_cli_parse_args ("disk resize", "PATH [+]SIZE",
                          "Changes the virtual size of a disk image; +SIZE grows it by SIZE.",
                          entries, &argc, &argv, 2, 2, &status))
    return status;
  size_text = argv[2][0] == '+' ? argv[2] + 1 : argv[2];
  if (!parse_size_arg ("SIZE", size_text, &size, &status))
    return status;
  if (!(disk = open_disk (argv[1], &error)))
    return hv_cli_report_error (error);

  if (argv[2][0] == '+')
    {
      g_autoptr (HeroVirtDiskInfo) info
          = hero_virt_disk_info (disk, hv_cli_get_cancellable (), &error);

      if (info == NULL)
        return hv_cli_report_error (error);
      if (size > G_MAXUINT64 - hero_virt_disk_info_get_virtual_size (info))
        return hv_cli_usage_error ("disk resize", "size %s is too large", argv[2]);
      size += hero_virt_disk_info_get_virtual_size (info);
    }

  if (!hero_virt_disk_resize (disk, size, shrink, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  {
    g_autofree char *human = hv_cli_format_size (size);
    g_print ("Resized %s to %s\n", argv[1], human);
  }
  return HV_CLI_EXIT_OK;
}

/* --- convert --- */

static int
cmd_convert (int argc, char **argv)
{
  g_autofree char   *format = NULL;
  gboolean           compress = FALSE;
  const GOptionEntry entries[]
      = { OPEN_ENTRIES,
          { "output-format", 'O', 0, G_OPTION_ARG_STRING, &format, "Output format (default qcow2)",
            "FMT" },
          { "compress", 'c', 0, G_OPTION_ARG_NONE, &compress, "Compress the output (qcow2)", NULL },
          { NULL } };
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDisk) converted = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("disk convert", "SRC DEST",
                          "Writes a copy of a disk image in another format.", entries, &argc, &argv,
                          2, 2, &status))
    return status;
  if (!(disk = open_disk (argv[1], &error))
      || !(converted = hero_virt_disk_convert (disk, argv[2], format ? format : "qcow2", compress,
                                               hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);
  g_print ("Converted %s to %s (%s%s)\n", argv[1], argv[2], format ? format : "qcow2",
           compress ? ", compressed" : "");
  return HV_CLI_EXIT_OK;
}

/* --- check --- */

static int
cmd_check (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[]
      = { OPEN_ENTRIES, { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL }, { NULL } };
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDiskCheckResult) result = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("disk check", "PATH",
                          "Checks a disk image's metadata. Exit status 3 when it found "
                          "corruptions or leaks.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!(disk = open_disk (argv[1], &error))
      || !(result = hero_virt_disk_check (disk, hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);

  if (json)
    {
      g_autofree char *text = hero_virt_disk_check_result_to_json (result, TRUE);
      g_print ("%s\n", text);
    }
  else if (hero_virt_disk_check_result_get_clean (result))
    g_print ("No errors were found on %s.\n", argv[1]);
  else
    g_print ("%s: %" G_GUINT64_FORMAT " corruptions, %" G_GUINT64_FORMAT
             " leaked clusters, %" G_GUINT64_FORMAT " check errors\n",
             argv[1], hero_virt_disk_check_result_get_corruptions (result),
             hero_virt_disk_check_result_get_leaks (result),
             hero_virt_disk_check_result_get_check_errors (result));
  /* qemu-img leaves the allocation out of reports on damaged images. */
  if (!json && hero_virt_disk_check_result_get_allocated_clusters (result) > 0)
    g_print ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " clusters allocated\n",
             hero_virt_disk_check_result_get_allocated_clusters (result),
             hero_virt_disk_check_result_get_total_clusters (result));
  return hero_virt_disk_check_result_get_clean (result) ? HV_CLI_EXIT_OK : HV_CLI_EXIT_CHECK;
}

/* --- base-image --- */

typedef struct
{
  GMainLoop               *loop;
  HeroVirtBaseImageResult *result;
  GError                  *error;
} BuildWait;

static void
on_built (GObject *source, GAsyncResult *res, gpointer user_data)
{
  BuildWait *wait = user_data;

  wait->result = hero_virt_base_image_builder_build_finish (HERO_VIRT_BASE_IMAGE_BUILDER (source),
                                                            res, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
print_base_image_result (HeroVirtBaseImageResult *result, gboolean json)
{
  g_autofree char *size = hv_cli_format_size (hero_virt_base_image_result_get_resized_to (result));

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, hero_virt_base_image_result_get_path (result));
      json_builder_set_member_name (b, "download_path");
      json_builder_add_string_value (b, hero_virt_base_image_result_get_download_path (result));
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, hero_virt_base_image_result_get_url (result));
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, hero_virt_base_image_result_get_sha256 (result));
      json_builder_set_member_name (b, "snapshot");
      json_builder_add_string_value (b, hero_virt_base_image_result_get_snapshot_name (result));
      json_builder_set_member_name (b, "resized_to");
      json_builder_add_int_value (b, (gint64)hero_virt_base_image_result_get_resized_to (result));
      json_builder_set_member_name (b, "downloaded");
      json_builder_add_boolean_value (b, hero_virt_base_image_result_get_downloaded (result));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
      return;
    }

  g_print ("Base image: %s\n", hero_virt_base_image_result_get_path (result));
  g_print ("  snapshot:   %s\n", hero_virt_base_image_result_get_snapshot_name (result));
  if (hero_virt_base_image_result_get_resized_to (result) != 0)
    g_print ("  size:       %s\n", size);
  g_print ("  download:   %s (%s)\n", hero_virt_base_image_result_get_download_path (result),
           hero_virt_base_image_result_get_downloaded (result) ? "downloaded now"
                                                               : "verified copy reused");
  g_print ("  from:       %s\n", hero_virt_base_image_result_get_url (result));
  g_print ("  sha256:     %s\n", hero_virt_base_image_result_get_sha256 (result));
}

static int
cmd_base_image (int argc, char **argv)
{
  g_autofree char   *size_text = NULL, *url = NULL, *checksums_url = NULL, *snapshot = NULL;
  g_autofree char   *sha256 = NULL, *ca_file = NULL, *keyring = NULL, *signature_url = NULL;
  gboolean           insecure = FALSE, allow_http = FALSE, json = FALSE;
  int                timeout_s = -1;
  const GOptionEntry entries[]
      = { { "size", 's', 0, G_OPTION_ARG_STRING, &size_text,
            "Grow the image to SIZE (default 10G; 0 keeps it)", "SIZE" },
          { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Cloud image URL (default: Ubuntu 24.04 amd64)",
            "URL" },
          { "checksums-url", 0, 0, G_OPTION_ARG_STRING, &checksums_url,
            "SHA256SUMS URL (default: beside the image)", "URL" },
          { "snapshot", 0, 0, G_OPTION_ARG_STRING, &snapshot,
            "Name of the snapshot to take (default base)", "NAME" },
          { "sha256", 0, 0, G_OPTION_ARG_STRING, &sha256,
            "The image's SHA-256, pinned (instead of SHA256SUMS)", "HEX" },
          { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
            "Trust the CA certificates in FILE for the downloads", "FILE" },
          { "keyring", 0, 0, G_OPTION_ARG_FILENAME, &keyring,
            "Verify SHA256SUMS.gpg with gpgv against KEYRING", "KEYRING" },
          { "signature-url", 0, 0, G_OPTION_ARG_STRING, &signature_url,
            "The signature's URL (default: SHA256SUMS.gpg beside SHA256SUMS)", "URL" },
          { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
            "Give up after SECONDS in all (default 3600)", "SECONDS" },
          { "insecure", 0, 0, G_OPTION_ARG_NONE, &insecure,
            "Do not verify TLS certificates (needs --sha256)", NULL },
          { "allow-http", 0, 0, G_OPTION_ARG_NONE, &allow_http,
            "Allow plain http:// URLs (needs --sha256)", NULL },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON (no progress)",
            NULL },
          { NULL } };
  g_autoptr (HeroVirtBaseImageBuilder) builder = NULL;
  g_autoptr (HeroVirtProgress) progress = NULL;
  g_autoptr (HvCliProgressBar) bar = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  BuildWait wait = {
    NULL,
  };
  guint64 size = 10ull << 30;
  int     status;

  if (!hv_cli_parse_args ("disk base-image", "DEST_DIR",
                          "Downloads the Ubuntu 24.04 cloud image (or --url), verifies it against "
                          "SHA256SUMS, and makes a base qcow2 image from it with a snapshot.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  if (size_text != NULL && !parse_size_arg ("--size", size_text, &size, &status))
    return status;
  if (snapshot != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!hero_virt_validate_snapshot_name (snapshot, &error))
        return hv_cli_report_error (error);
    }

  builder = hero_virt_base_image_builder_new ();
  hero_virt_base_image_builder_set_dest_dir (builder, argv[1]);
  hero_virt_base_image_builder_set_size (builder, size);
  if (url != NULL)
    hero_virt_base_image_builder_set_url (builder, url);
  if (checksums_url != NULL)
    hero_virt_base_image_builder_set_checksums_url (builder, checksums_url);
  if (snapshot != NULL)
    hero_virt_base_image_builder_set_snapshot_name (builder, snapshot);
  if (insecure)
    hero_virt_base_image_builder_set_tls_verify (builder, FALSE);
  if (allow_http)
    hero_virt_base_image_builder_set_allow_insecure (builder, TRUE);
  if (sha256 != NULL)
    hero_virt_base_image_builder_set_sha256 (builder, sha256);
  if (ca_file != NULL)
    hero_virt_base_image_builder_set_tls_ca_file (builder, ca_file);
  if (keyring != NULL)
    hero_virt_base_image_builder_set_keyring (builder, keyring);
  if (signature_url != NULL)
    hero_virt_base_image_builder_set_signature_url (builder, signature_url);
  if (timeout_s >= 0)
    hero_virt_base_image_builder_set_timeout (builder, (guint)timeout_s);

  /* Async, so progress updates reach this (the main) context while the
   * download runs. */
  progress = hero_virt_progress_new ();
  if (!json)
    bar = hv_cli_progress_bar_new (progress);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  hero_virt_base_image_builder_build_async (builder, progress, hv_cli_get_cancellable (), on_built,
                                            &wait);
  g_main_loop_run (loop);
  g_clear_pointer (&bar, hv_cli_progress_bar_free);

  if (wait.result == NULL)
    {
      status = hv_cli_report_error (wait.error);
      g_error_free (wait.error);
      return status;
    }
  print_base_image_result (wait.result, json);
  g_object_unref (wait.result);
  return HV_CLI_EXIT_OK;
}

/* --- family --- */

static const HvCliCommand disk_commands[]
    = { { "create", "PATH SIZE", "Create a disk image (SIZE like 10G)", cmd_create },
        { "info", "PATH [--json]", "Show what a disk image is", cmd_info },
        { "snapshot", "create|list|delete|apply PATH [NAME]", "Manage internal snapshots",
          cmd_snapshot },
        { "resize", "PATH [+]SIZE [--shrink]", "Change the virtual size", cmd_resize },
        { "convert", "SRC DEST [-O FMT] [-c]", "Copy an image into another format", cmd_convert },
        { "check", "PATH [--json]", "Check an image's metadata", cmd_check },
        { "base-image", "DEST_DIR [--size 10G] [--url U]",
          "Download and verify a cloud image, make a base disk", cmd_base_image },
        { NULL } };

int
hv_cli_disk (int argc, char **argv)
{
  return hv_cli_dispatch ("disk", disk_commands, argc, argv);
}
