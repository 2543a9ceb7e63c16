/* hero-virt-vm-info.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * HeroVirtVmInfo:
 *
 * What a virtual machine is and is doing: its id, life-cycle state, the
 * process id of its hypervisor, the spec it was created from, its
 * directory, where its console output and its hypervisor's log go, its
 * API socket and the
 * backend's own details (for cloud-hypervisor, the `vm.info` answer).
 *
 * Providers fill it in with the setters; users read it. It has a JSON
 * form ([method@HeroVirt.VmInfo.to_json] and
 * [ctor@HeroVirt.VmInfo.new_from_json]) that plugins may use as their
 * persistent VM record.
 *
 * Since: 0.1
 */
struct _HeroVirtVmInfo
{
  GObject parent_instance;

  char           *id;
  HeroVirtVmState state;
  gint64          pid;
  HeroVirtVmSpec *spec;
  char           *directory;
  char           *console_path;
  char           *log_path;
  char           *api_socket;
  JsonNode       *details;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_PID,
  PROP_SPEC,
  PROP_DIRECTORY,
  PROP_CONSOLE_PATH,
  PROP_LOG_PATH,
  PROP_API_SOCKET,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVmInfo, hero_virt_vm_info, G_TYPE_OBJECT)

static void
hero_virt_vm_info_finalize (GObject *object)
{
  HeroVirtVmInfo *self = HERO_VIRT_VM_INFO (object);

  g_free (self->id);
  g_clear_object (&self->spec);
  g_free (self->directory);
  g_free (self->console_path);
  g_free (self->log_path);
  g_free (self->api_socket);
  g_clear_pointer (&self->details, json_node_unref);

  G_OBJECT_CLASS (hero_virt_vm_info_parent_class)->finalize (object);
}

static void
hero_virt_vm_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtVmInfo *self = HERO_VIRT_VM_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PID:
      g_value_set_int64 (value, self->pid);
      break;
    case PROP_SPEC:
      g_value_set_object (value, self->spec);
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_CONSOLE_PATH:
      g_value_set_string (value, self->console_path);
      break;
    case PROP_LOG_PATH:
      g_value_set_string (value, self->log_path);
      break;
    case PROP_API_SOCKET:
      g_value_set_string (value, self->api_socket);
      break;
    case PROP_DETAILS:
      g_value_set_boxed (value, self->details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
hero_virt_vm_info_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HeroVirtVmInfo *self = HERO_VIRT_VM_INFO (object);
  gboolean        changed = TRUE;

  switch (prop_id)
    {
    case PROP_ID:
      changed = replace_string (&self->id, g_value_get_string (value));
      break;
    case PROP_STATE:
      changed = self->state != (HeroVirtVmState)g_value_get_enum (value);
      self->state = g_value_get_enum (value);
      break;
    case PROP_PID:
      changed = self->pid != g_value_get_int64 (value);
      self->pid = g_value_get_int64 (value);
      break;
    case PROP_SPEC:
      changed = g_set_object (&self->spec, g_value_get_object (value));
      break;
    case PROP_DIRECTORY:
      changed = replace_string (&self->directory, g_value_get_string (value));
      break;
    case PROP_CONSOLE_PATH:
      changed = replace_string (&self->console_path, g_value_get_string (value));
      break;
    case PROP_LOG_PATH:
      changed = replace_string (&self->log_path, g_value_get_string (value));
      break;
    case PROP_API_SOCKET:
      changed = replace_string (&self->api_socket, g_value_get_string (value));
      break;
    case PROP_DETAILS:
      g_clear_pointer (&self->details, json_node_unref);
      self->details = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
hero_virt_vm_info_class_init (HeroVirtVmInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = hero_virt_vm_info_finalize;
  object_class->get_property = hero_virt_vm_info_get_property;
  object_class->set_property = hero_virt_vm_info_set_property;

  /**
   * HeroVirtVmInfo:id:
   *
   * The VM's id, as [method@HeroVirt.HypervisorProvider.create] returned it.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /**
   * HeroVirtVmInfo:state:
   *
   * The VM's life-cycle state.
   *
   * Since: 0.1
   */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, HERO_VIRT_TYPE_VM_STATE,
                                              HERO_VIRT_VM_STATE_UNKNOWN, flags);
  /**
   * HeroVirtVmInfo:pid:
   *
   * The process id of the VM's hypervisor process on the executor's host,
   * or 0 when none runs.
   *
   * Since: 0.1
   */
  properties[PROP_PID] = g_param_spec_int64 ("pid", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * HeroVirtVmInfo:spec:
   *
   * The spec the VM was created from, or %NULL if the backend does not
   * know it.
   *
   * Since: 0.1
   */
  properties[PROP_SPEC] = g_param_spec_object ("spec", NULL, NULL, HERO_VIRT_TYPE_VM_SPEC, flags);
  /**
   * HeroVirtVmInfo:directory:
   *
   * The directory holding the VM's record, sockets and logs, or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_DIRECTORY] = g_param_spec_string ("directory", NULL, NULL, NULL, flags);
  /**
   * HeroVirtVmInfo:console-path:
   *
   * Where the serial console can be read: a log file, a pty or a socket,
   * depending on [property@HeroVirt.VmSpec:serial-mode]; %NULL if off.
   *
   * Since: 0.1
   */
  properties[PROP_CONSOLE_PATH] = g_param_spec_string ("console-path", NULL, NULL, NULL, flags);
  /**
   * HeroVirtVmInfo:log-path:
   *
   * The hypervisor's own log (cloud-hypervisor's `--log-file`, qemu's
   * `-D`), where boot failures are explained; %NULL if none.
   *
   * Since: 0.1
   */
  properties[PROP_LOG_PATH] = g_param_spec_string ("log-path", NULL, NULL, NULL, flags);
  /**
   * HeroVirtVmInfo:api-socket:
   *
   * The hypervisor's control socket (cloud-hypervisor's REST API, qemu's
   * QMP), or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_API_SOCKET] = g_param_spec_string ("api-socket", NULL, NULL, NULL, flags);
  /**
   * HeroVirtVmInfo:details:
   *
   * Backend-specific details as JSON (cloud-hypervisor's `vm.info`), or
   * %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_DETAILS] = g_param_spec_boxed ("details", NULL, NULL, JSON_TYPE_NODE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_vm_info_init (HeroVirtVmInfo *self)
{
}

/**
 * hero_virt_vm_info_new:
 * @id: the VM's id
 * @state: its state
 *
 * Returns: (transfer full): a new #HeroVirtVmInfo
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_new (const char *id, HeroVirtVmState state)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_VM_INFO, "id", id, "state", state, NULL);
}

/**
 * hero_virt_vm_info_set_state:
 * @self: a #HeroVirtVmInfo
 * @state: the new value
 *
 * Sets [property@HeroVirt.VmInfo:state].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_state (HeroVirtVmInfo *self, HeroVirtVmState state)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "state", state, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_pid:
 * @self: a #HeroVirtVmInfo
 * @pid: the new value
 *
 * Sets [property@HeroVirt.VmInfo:pid].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_pid (HeroVirtVmInfo *self, gint64 pid)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "pid", pid, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_spec:
 * @self: a #HeroVirtVmInfo
 * @spec: (nullable): the new value
 *
 * Sets [property@HeroVirt.VmInfo:spec].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_spec (HeroVirtVmInfo *self, HeroVirtVmSpec *spec)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "spec", spec, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_directory:
 * @self: a #HeroVirtVmInfo
 * @directory: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmInfo:directory].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_directory (HeroVirtVmInfo *self, const char *directory)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "directory", directory, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_console_path:
 * @self: a #HeroVirtVmInfo
 * @console_path: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmInfo:console-path].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_console_path (HeroVirtVmInfo *self, const char *console_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "console-path", console_path, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_log_path:
 * @self: a #HeroVirtVmInfo
 * @log_path: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmInfo:log-path].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_log_path (HeroVirtVmInfo *self, const char *log_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "log-path", log_path, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_api_socket:
 * @self: a #HeroVirtVmInfo
 * @api_socket: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmInfo:api-socket].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_api_socket (HeroVirtVmInfo *self, const char *api_socket)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "api-socket", api_socket, NULL);
  return self;
}

/**
 * hero_virt_vm_info_set_details:
 * @self: a #HeroVirtVmInfo
 * @details: (nullable): the new value; it is copied
 *
 * Sets [property@HeroVirt.VmInfo:details].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_set_details (HeroVirtVmInfo *self, JsonNode *details)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  g_object_set (self, "details", details, NULL);
  return self;
}

/**
 * hero_virt_vm_info_get_id:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: the value of [property@HeroVirt.VmInfo:id]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_info_get_id (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->id;
}

/**
 * hero_virt_vm_info_get_state:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: the value of [property@HeroVirt.VmInfo:state]
 *
 * Since: 0.1
 */
HeroVirtVmState
hero_virt_vm_info_get_state (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), HERO_VIRT_VM_STATE_UNKNOWN);
  return self->state;
}

/**
 * hero_virt_vm_info_get_pid:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: the value of [property@HeroVirt.VmInfo:pid]
 *
 * Since: 0.1
 */
gint64
hero_virt_vm_info_get_pid (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), 0);
  return self->pid;
}

/**
 * hero_virt_vm_info_get_spec:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (transfer none) (nullable): the value of [property@HeroVirt.VmInfo:spec]
 *
 * Since: 0.1
 */
HeroVirtVmSpec *
hero_virt_vm_info_get_spec (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->spec;
}

/**
 * hero_virt_vm_info_get_directory:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmInfo:directory]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_info_get_directory (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->directory;
}

/**
 * hero_virt_vm_info_get_console_path:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmInfo:console-path]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_info_get_console_path (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->console_path;
}

/**
 * hero_virt_vm_info_get_log_path:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmInfo:log-path]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_info_get_log_path (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->log_path;
}

/**
 * hero_virt_vm_info_get_api_socket:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmInfo:api-socket]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_info_get_api_socket (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->api_socket;
}

/**
 * hero_virt_vm_info_get_details:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: (transfer none) (nullable): the value of [property@HeroVirt.VmInfo:details]
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_vm_info_get_details (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);
  return self->details;
}

/**
 * hero_virt_vm_info_is_running:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: whether the VM is running or paused, that is, has a live
 *   hypervisor process holding guest memory
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_info_is_running (HeroVirtVmInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), FALSE);
  return self->state == HERO_VIRT_VM_STATE_RUNNING || self->state == HERO_VIRT_VM_STATE_PAUSED;
}

static const char *
state_nick (HeroVirtVmState state)
{
  GEnumClass *enum_class = g_type_class_ref (HERO_VIRT_TYPE_VM_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, state);

  g_type_class_unref (enum_class); /* enum classes are static once made */
  return value ? value->value_nick : "unknown";
}

static void
set_opt_string (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

/**
 * hero_virt_vm_info_to_json_node:
 * @self: a #HeroVirtVmInfo
 *
 * Describes the info as a JSON object with the members `id`, `state`
 * (the #HeroVirtVmState nick: `created`, `running`, …), `pid`, `spec`
 * (as [method@HeroVirt.VmSpec.to_json_node] writes it), `directory`,
 * `console_path`, `log_path`, `api_socket` and `details`. Unset members are left out.
 *
 * Returns: (transfer full): a new JSON object node
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_vm_info_to_json_node (HeroVirtVmInfo *self)
{
  JsonNode   *node;
  JsonObject *object;

  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  object = json_object_new ();
  set_opt_string (object, "id", self->id);
  json_object_set_string_member (object, "state", state_nick (self->state));
  if (self->pid != 0)
    json_object_set_int_member (object, "pid", self->pid);
  if (self->spec != NULL)
    json_object_set_member (object, "spec", hero_virt_vm_spec_to_json_node (self->spec));
  set_opt_string (object, "directory", self->directory);
  set_opt_string (object, "console_path", self->console_path);
  set_opt_string (object, "log_path", self->log_path);
  set_opt_string (object, "api_socket", self->api_socket);
  if (self->details != NULL)
    json_object_set_member (object, "details", json_node_copy (self->details));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/**
 * hero_virt_vm_info_to_json:
 * @self: a #HeroVirtVmInfo
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): the info as the JSON text described at
 *   [method@HeroVirt.VmInfo.to_json_node]
 *
 * Since: 0.1
 */
char *
hero_virt_vm_info_to_json (HeroVirtVmInfo *self, gboolean pretty)
{
  g_autoptr (JsonNode) node = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), NULL);

  node = hero_virt_vm_info_to_json_node (self);
  return json_to_string (node, pretty);
}

static gboolean
read_opt_string (JsonObject *object, const char *member, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "VM info member “%s” should be a string", member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * hero_virt_vm_info_new_from_json_node:
 * @node: a JSON object as written by [method@HeroVirt.VmInfo.to_json_node]
 * @error: return location for a #GError
 *
 * Reads an info back. Unknown members are ignored; an unknown state
 * reads as %HERO_VIRT_VM_STATE_UNKNOWN.
 *
 * Returns: (transfer full): a new #HeroVirtVmInfo, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_new_from_json_node (JsonNode *node, GError **error)
{
  g_autoptr (HeroVirtVmInfo) self = NULL;
  g_autofree char *state = NULL;
  JsonObject      *object;
  JsonNode        *member;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "A VM info is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  self = g_object_new (HERO_VIRT_TYPE_VM_INFO, NULL);
  if (!read_opt_string (object, "id", &self->id, error)
      || !read_opt_string (object, "state", &state, error)
      || !read_opt_string (object, "directory", &self->directory, error)
      || !read_opt_string (object, "console_path", &self->console_path, error)
      || !read_opt_string (object, "log_path", &self->log_path, error)
      || !read_opt_string (object, "api_socket", &self->api_socket, error))
    return NULL;
  if (self->id == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "A VM info has no “id”");
      return NULL;
    }
  if (state != NULL)
    {
      GEnumClass *enum_class = g_type_class_ref (HERO_VIRT_TYPE_VM_STATE);
      GEnumValue *value = g_enum_get_value_by_nick (enum_class, state);

      self->state = value ? value->value : HERO_VIRT_VM_STATE_UNKNOWN;
      g_type_class_unref (enum_class);
    }

  member = json_object_get_member (object, "pid");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "VM info member “pid” is not a process id");
          return NULL;
        }
      self->pid = json_node_get_int (member);
    }

  member = json_object_get_member (object, "spec");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      self->spec = hero_virt_vm_spec_new_from_json_node (member, error);
      if (self->spec == NULL)
        return NULL;
    }

  member = json_object_get_member (object, "details");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->details = json_node_copy (member);

  return g_steal_pointer (&self);
}

/**
 * hero_virt_vm_info_new_from_json:
 * @json: JSON text as written by [method@HeroVirt.VmInfo.to_json]
 * @error: return location for a #GError
 *
 * Parses an info; see [ctor@HeroVirt.VmInfo.new_from_json_node].
 *
 * Returns: (transfer full): a new #HeroVirtVmInfo, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtVmInfo *
hero_virt_vm_info_new_from_json (const char *json, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  node = json_from_string (json, &local_error);
  if (node == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Could not parse a VM info: %s",
                   local_error ? local_error->message : "empty document");
      return NULL;
    }
  return hero_virt_vm_info_new_from_json_node (node, error);
}
