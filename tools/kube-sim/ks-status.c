/* ks-status.c: metav1.Status objects as the API server writes them
 * (k8s.io/apimachinery/pkg/api/errors). */
#include "kube-sim.h"

JsonObject *
ks_status_new (guint code, const char *reason, const char *message)
{
  JsonObject *status = json_object_new ();

  json_object_set_string_member (status, "kind", "Status");
  json_object_set_string_member (status, "apiVersion", "v1");
  json_object_set_object_member (status, "metadata", json_object_new ());
  json_object_set_string_member (status, "status", code < 300 ? "Success" : "Failure");
  if (message != NULL)
    json_object_set_string_member (status, "message", message);
  if (reason != NULL)
    json_object_set_string_member (status, "reason", reason);
  json_object_set_int_member (status, "code", code);
  return status;
}

JsonObject *
ks_status_with_details (guint       code,
                        const char *reason,
                        const char *message,
                        const char *name,
                        const char *group,
                        const char *kind)
{
  JsonObject *status = ks_status_new (code, reason, message);
  JsonObject *details = json_object_new ();

  if (name != NULL)
    json_object_set_string_member (details, "name", name);
  if (group != NULL && *group != '\0')
    json_object_set_string_member (details, "group", group);
  if (kind != NULL)
    json_object_set_string_member (details, "kind", kind);
  json_object_set_object_member (status, "details", details);
  return status;
}

JsonObject *
ks_status_not_found (KsResource *res, const char *name)
{
  g_autofree char *gr = ks_group_resource (res);
  g_autofree char *message = g_strdup_printf ("%s \"%s\" not found", gr, name);

  return ks_status_with_details (404, "NotFound", message, name, res->group, res->plural);
}

JsonObject *
ks_status_already_exists (KsResource *res, const char *name)
{
  g_autofree char *gr = ks_group_resource (res);
  g_autofree char *message = g_strdup_printf ("%s \"%s\" already exists", gr, name);

  return ks_status_with_details (409, "AlreadyExists", message, name, res->group, res->plural);
}

JsonObject *
ks_status_conflict (KsResource *res, const char *name, const char *why)
{
  g_autofree char *gr = ks_group_resource (res);
  g_autofree char *message
      = g_strdup_printf ("Operation cannot be fulfilled on %s \"%s\": %s", gr, name, why);

  return ks_status_with_details (409, "Conflict", message, name, res->group, res->plural);
}

void
ks_causes_add (JsonArray *causes, const char *reason, const char *field, const char *message)
{
  JsonObject *cause = json_object_new ();

  json_object_set_string_member (cause, "reason", reason);
  json_object_set_string_member (cause, "message", message);
  json_object_set_string_member (cause, "field", field);
  json_array_add_object_element (causes, cause);
}

JsonObject *
ks_status_invalid (KsResource *res, const char *name, JsonArray *causes)
{
  g_autofree char *gk = ks_group_kind (res);
  g_autoptr (GString) message = g_string_new (NULL);
  guint       n = json_array_get_length (causes);
  JsonObject *status;
  JsonObject *details;

  g_string_printf (message, "%s \"%s\" is invalid: ", gk, name ? name : "");
  if (n > 1)
    g_string_append_c (message, '[');
  for (guint i = 0; i < n; i++)
    {
      JsonObject *cause = json_array_get_object_element (causes, i);
      if (i > 0)
        g_string_append (message, ", ");
      g_string_append_printf (message, "%s: %s", ks_json_get_string (cause, "field"),
                              ks_json_get_string (cause, "message"));
    }
  if (n > 1)
    g_string_append_c (message, ']');
  status = ks_status_with_details (422, "Invalid", message->str, name, res->group, res->kind);
  details = ks_json_get_object (status, "details");
  json_object_set_array_member (details, "causes", json_array_ref (causes));
  return status;
}

JsonObject *
ks_status_bad_request (const char *message)
{
  return ks_status_new (400, "BadRequest", message);
}

JsonObject *
ks_status_success (KsResource *res, const char *name, const char *uid)
{
  JsonObject *status = ks_status_with_details (200, NULL, NULL, name, res->group, res->plural);

  json_object_remove_member (status, "code");
  if (uid != NULL)
    json_object_set_string_member (ks_json_get_object (status, "details"), "uid", uid);
  return status;
}

guint
ks_status_code (JsonObject *status)
{
  return (guint)ks_json_get_int (status, "code", 500);
}
