/* cli-image.c: hero-virt image list|build|push|pull|rm|tag|inspect
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cli-common.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Registry options shared by push, pull and build. The password is read
 * from standard input (--password-stdin), never taken from the command
 * line, where other users could see it in the process list. */
static gboolean opt_no_tls_verify;
static char    *opt_cert_dir;
static char    *opt_username;
static gboolean opt_password_stdin;

#define REGISTRY_ENTRIES                                                                           \
  { "no-tls-verify",                                                                               \
    0,                                                                                             \
    0,                                                                                             \
    G_OPTION_ARG_NONE,                                                                             \
    &opt_no_tls_verify,                                                                            \
    "Allow plain HTTP and unverified certificates",                                                \
    NULL },                                                                                        \
      { "cert-dir",                                                                                \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_FILENAME,                                                                     \
        &opt_cert_dir,                                                                             \
        "Trust the CA certificates (*.crt) in DIR",                                                \
        "DIR" },                                                                                   \
      { "username", 'u', 0, G_OPTION_ARG_STRING, &opt_username, "Log in to the registry as USER",  \
        "USER" },                                                                                  \
  {                                                                                                \
    "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,                                \
        "Read the password from standard input", NULL                                              \
  }

/* NULL with an error for --username without a password source (or with
 * nothing on standard input): never an empty password by accident. */
static HeroVirtImageRegistryOptions *
registry_options (GError **error)
{
  g_autoptr (HeroVirtImageRegistryOptions) options = hero_virt_image_registry_options_new ();

  hero_virt_image_registry_options_set_tls_verify (options, !opt_no_tls_verify);
  hero_virt_image_registry_options_set_cert_dir (options, opt_cert_dir);
  if (opt_password_stdin && opt_username == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "--password-stdin needs --username");
      return NULL;
    }
  if (opt_username != NULL)
    {
      char line[4096] = "";

      if (!opt_password_stdin)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "--username needs a password: pass it on standard input with "
                       "--password-stdin");
          return NULL;
        }
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "--password-stdin: no password on standard input");
          return NULL;
        }
      line[strcspn (line, "\r\n")] = '\0';
      hero_virt_image_registry_options_set_credentials (options, opt_username, line);
      explicit_bzero (line, sizeof line);
    }
  return g_steal_pointer (&options);
}

static int
cmd_list (int argc, char **argv)
{
  gboolean           json = FALSE, containers = FALSE;
  const GOptionEntry entries[] = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                   { "containers", 'c', 0, G_OPTION_ARG_NONE, &containers,
                                     "List working containers instead", NULL },
                                   { NULL } };
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("image list", "", "Lists local images (or working containers).", entries,
                          &argc, &argv, 0, 0, &status))
    return status;
  list = containers ? hero_virt_image_list_containers (NULL, hv_cli_get_cancellable (), &error)
                    : hero_virt_image_list (NULL, hv_cli_get_cancellable (), &error);
  if (list == NULL)
    return hv_cli_report_error (error);

  if (json)
    {
      g_autoptr (JsonArray) array = json_array_new ();
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, json_gobject_serialize (g_ptr_array_index (list, i)));
      json_node_set_array (root, array);
      hv_cli_print_json (root);
      return HV_CLI_EXIT_OK;
    }
  if (containers)
    {
      g_print ("%-14s %-28s %s\n", "ID", "NAME", "IMAGE");
      for (guint i = 0; i < list->len; i++)
        {
          HeroVirtImageContainerInfo *c = g_ptr_array_index (list, i);
          g_print ("%-14.12s %-28s %s\n", hero_virt_image_container_info_get_id (c),
                   hero_virt_image_container_info_get_name (c),
                   hero_virt_image_container_info_get_image_name (c));
        }
      return HV_CLI_EXIT_OK;
    }
  g_print ("%-14s %-10s %s\n", "ID", "SIZE", "NAMES");
  for (guint i = 0; i < list->len; i++)
    {
      HeroVirtImageInfo *image = g_ptr_array_index (list, i);
      const char *const *names = hero_virt_image_info_get_names (image);
      g_autofree char   *joined = names ? g_strjoinv (", ", (char **)names) : g_strdup ("<none>");
      g_print ("%-14.12s %-10s %s\n", hero_virt_image_info_get_id (image),
               hero_virt_image_info_get_size (image) ? hero_virt_image_info_get_size (image) : "",
               joined);
    }
  return HV_CLI_EXIT_OK;
}

static int
cmd_inspect (int argc, char **argv)
{
  g_autoptr (HeroVirtImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("image inspect", "IMAGE", "Prints what an image is, as JSON.", NULL,
                          &argc, &argv, 1, 1, &status))
    return status;
  info = hero_virt_image_inspect (argv[1], NULL, hv_cli_get_cancellable (), &error);
  if (info == NULL)
    return hv_cli_report_error (error);
  g_print ("%s\n", hero_virt_image_info_get_json (info));
  return HV_CLI_EXIT_OK;
}

static int
cmd_build (int argc, char **argv)
{
  g_autofree char *file = NULL, *tag = NULL;
  g_auto (GStrv) build_args = NULL;
  const GOptionEntry entries[]
      = { { "tag", 't', 0, G_OPTION_ARG_STRING, &tag, "The image reference to write (required)",
            "IMAGE" },
          { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
            "The Containerfile (default: CONTEXT/Containerfile or Dockerfile)", "FILE" },
          { "build-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &build_args, "A build argument",
            "NAME=VALUE" },
          REGISTRY_ENTRIES,
          { NULL } };
  g_autoptr (HeroVirtImageRegistryOptions) options = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (HvCliProgressBar) bar = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *context = NULL;
  g_autofree char *id = NULL;
  int              status;

  if (!hv_cli_parse_args ("image build", "CONTEXT", "Builds an image from a Containerfile.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  if (tag == NULL)
    return hv_cli_usage_error ("image build", "--tag is required");
  context = g_canonicalize_filename (argv[1], NULL);
  options = registry_options (&error);
  if (options == NULL)
    return hv_cli_report_error (error);
  bar = hv_cli_progress_bar_new (progress);
  id = hero_virt_image_build (context, file, tag, (const char *const *)build_args, options,
                              progress, NULL, hv_cli_get_cancellable (), &error);
  g_clear_pointer (&bar, hv_cli_progress_bar_free);
  if (id == NULL)
    return hv_cli_report_error (error);
  g_print ("%s\n", id);
  return HV_CLI_EXIT_OK;
}

static int
cmd_push (int argc, char **argv)
{
  const GOptionEntry entries[] = { REGISTRY_ENTRIES, { NULL } };
  g_autoptr (HeroVirtImageRegistryOptions) options = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (HvCliProgressBar) bar = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;
  int      status;

  if (!hv_cli_parse_args ("image push", "IMAGE [DESTINATION]",
                          "Pushes a local image to a registry (to DESTINATION if given).", entries,
                          &argc, &argv, 1, 2, &status))
    return status;
  options = registry_options (&error);
  if (options == NULL)
    return hv_cli_report_error (error);
  bar = hv_cli_progress_bar_new (progress);
  ok = hero_virt_image_push (argv[1], argc > 2 ? argv[2] : NULL, options, progress, NULL,
                             hv_cli_get_cancellable (), &error);
  g_clear_pointer (&bar, hv_cli_progress_bar_free);
  return ok ? HV_CLI_EXIT_OK : hv_cli_report_error (error);
}

static int
cmd_pull (int argc, char **argv)
{
  const GOptionEntry entries[] = { REGISTRY_ENTRIES, { NULL } };
  g_autoptr (HeroVirtImageRegistryOptions) options = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (HvCliProgressBar) bar = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  int              status;

  if (!hv_cli_parse_args ("image pull", "IMAGE", "Pulls an image from its registry.", entries,
                          &argc, &argv, 1, 1, &status))
    return status;
  options = registry_options (&error);
  if (options == NULL)
    return hv_cli_report_error (error);
  bar = hv_cli_progress_bar_new (progress);
  id = hero_virt_image_pull (argv[1], options, progress, NULL, hv_cli_get_cancellable (), &error);
  g_clear_pointer (&bar, hv_cli_progress_bar_free);
  if (id == NULL)
    return hv_cli_report_error (error);
  g_print ("%s\n", id);
  return HV_CLI_EXIT_OK;
}

static int
cmd_rm (int argc, char **argv)
{
  gboolean           force = FALSE;
  const GOptionEntry entries[]
      = { { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Remove even if containers use it", NULL },
          { NULL } };
  int status;

  if (!hv_cli_parse_args ("image rm", "IMAGE...", "Removes local images.", entries, &argc, &argv, 1,
                          -1, &status))
    return status;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      if (!hero_virt_image_remove (argv[i], force, NULL, hv_cli_get_cancellable (), &error))
        return hv_cli_report_error (error);
    }
  return HV_CLI_EXIT_OK;
}

static int
cmd_tag (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("image tag", "IMAGE NEW-NAME", "Gives an image another name.", NULL,
                          &argc, &argv, 2, 2, &status))
    return status;
  if (!hero_virt_image_tag (argv[1], argv[2], NULL, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand image_commands[]
    = { { "list", "", "List local images (--containers: working containers)", cmd_list },
        { "build", "CONTEXT", "Build an image from a Containerfile", cmd_build },
        { "push", "IMAGE [DEST]", "Push an image to a registry", cmd_push },
        { "pull", "IMAGE", "Pull an image from a registry", cmd_pull },
        { "rm", "IMAGE...", "Remove local images", cmd_rm },
        { "tag", "IMAGE NAME", "Name an image", cmd_tag },
        { "inspect", "IMAGE", "Print an image's details as JSON", cmd_inspect },
        { NULL } };

int
hv_cli_image (int argc, char **argv)
{
  return hv_cli_dispatch ("image", image_commands, argc, argv);
}
