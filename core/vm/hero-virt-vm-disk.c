/* hero-virt-vm-disk.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * HeroVirtVmDisk:
 *
 * A disk attached to a virtual machine: an image file on the executor's
 * host, its format and whether the guest may write to it. Disk images
 * themselves are made with [class@HeroVirt.Disk].
 *
 * ```python
 * disk = HeroVirt.VmDisk.new("/var/lib/vms/web.qcow2").set_format("qcow2")
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtVmDisk
{
  GObject parent_instance;

  char    *path;
  char    *format;
  gboolean readonly;
};

enum
{
  PROP_0,
  PROP_PATH,
  PROP_FORMAT,
  PROP_READONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVmDisk, hero_virt_vm_disk, G_TYPE_OBJECT)

static void
hero_virt_vm_disk_finalize (GObject *object)
{
  HeroVirtVmDisk *self = HERO_VIRT_VM_DISK (object);

  g_free (self->path);
  g_free (self->format);

  G_OBJECT_CLASS (hero_virt_vm_disk_parent_class)->finalize (object);
}

static void
hero_virt_vm_disk_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtVmDisk *self = HERO_VIRT_VM_DISK (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_READONLY:
      g_value_set_boolean (value, self->readonly);
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
hero_virt_vm_disk_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HeroVirtVmDisk *self = HERO_VIRT_VM_DISK (object);
  gboolean        changed = FALSE;

  switch (prop_id)
    {
    case PROP_PATH:
      changed = replace_string (&self->path, g_value_get_string (value));
      break;
    case PROP_FORMAT:
      changed = replace_string (&self->format, g_value_get_string (value));
      break;
    case PROP_READONLY:
      changed = self->readonly != g_value_get_boolean (value);
      self->readonly = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
hero_virt_vm_disk_class_init (HeroVirtVmDiskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_vm_disk_finalize;
  object_class->get_property = hero_virt_vm_disk_get_property;
  object_class->set_property = hero_virt_vm_disk_set_property;

  /**
   * HeroVirtVmDisk:path:
   *
   * The absolute path of the image on the executor's host.
   *
   * Since: 0.1
   */
  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeroVirtVmDisk:format:
   *
   * The image format, `qcow2` or `raw`, or %NULL to let the backend
   * probe it. Give it for images you do not trust: probing a raw image
   * that looks like qcow2 lets the guest read host files.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT]
      = g_param_spec_string ("format", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeroVirtVmDisk:readonly:
   *
   * Whether the guest sees the disk read-only.
   *
   * Since: 0.1
   */
  properties[PROP_READONLY]
      = g_param_spec_boolean ("readonly", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_vm_disk_init (HeroVirtVmDisk *self)
{
}

/**
 * hero_virt_vm_disk_new:
 * @path: (type filename): the image's absolute path on the executor's host
 *
 * Returns: (transfer full): a new writable disk whose format the backend
 *   probes
 *
 * Since: 0.1
 */
HeroVirtVmDisk *
hero_virt_vm_disk_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_VM_DISK, "path", path, NULL);
}

/**
 * hero_virt_vm_disk_set_path:
 * @self: a #HeroVirtVmDisk
 * @path: (type filename): the new value
 *
 * Sets [property@HeroVirt.VmDisk:path].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmDisk *
hero_virt_vm_disk_set_path (HeroVirtVmDisk *self, const char *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), NULL);

  g_object_set (self, "path", path, NULL);
  return self;
}

/**
 * hero_virt_vm_disk_set_format:
 * @self: a #HeroVirtVmDisk
 * @format: (nullable): `qcow2`, `raw`, or %NULL to probe
 *
 * Sets [property@HeroVirt.VmDisk:format].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmDisk *
hero_virt_vm_disk_set_format (HeroVirtVmDisk *self, const char *format)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), NULL);

  g_object_set (self, "format", format, NULL);
  return self;
}

/**
 * hero_virt_vm_disk_set_readonly:
 * @self: a #HeroVirtVmDisk
 * @readonly: the new value
 *
 * Sets [property@HeroVirt.VmDisk:readonly].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmDisk *
hero_virt_vm_disk_set_readonly (HeroVirtVmDisk *self, gboolean readonly)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), NULL);

  g_object_set (self, "readonly", readonly, NULL);
  return self;
}

/**
 * hero_virt_vm_disk_get_path:
 * @self: a #HeroVirtVmDisk
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmDisk:path]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_disk_get_path (HeroVirtVmDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), NULL);
  return self->path;
}

/**
 * hero_virt_vm_disk_get_format:
 * @self: a #HeroVirtVmDisk
 *
 * Returns: (nullable): the value of [property@HeroVirt.VmDisk:format]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_disk_get_format (HeroVirtVmDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), NULL);
  return self->format;
}

/**
 * hero_virt_vm_disk_get_readonly:
 * @self: a #HeroVirtVmDisk
 *
 * Returns: the value of [property@HeroVirt.VmDisk:readonly]
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_disk_get_readonly (HeroVirtVmDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), FALSE);
  return self->readonly;
}

/**
 * hero_virt_vm_disk_validate:
 * @self: a #HeroVirtVmDisk
 * @error: return location for a #GError
 *
 * Checks the disk before anything runs: an absolute path without commas
 * or line breaks, and a format that is %NULL, `qcow2` or `raw`.
 *
 * Returns: %TRUE if the disk is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_disk_validate (HeroVirtVmDisk *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), FALSE);

  if (!_hero_virt_validate_vm_path ("disk", self->path, error))
    return FALSE;
  if (self->format != NULL && strcmp (self->format, "qcow2") != 0
      && strcmp (self->format, "raw") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Unsupported VM disk format “%s” (qcow2 or raw)", self->format);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
_hero_virt_vm_disk_to_json (HeroVirtVmDisk *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "path", self->path);
  if (self->format != NULL)
    json_object_set_string_member (object, "format", self->format);
  json_object_set_boolean_member (object, "readonly", self->readonly);
  return object;
}

HeroVirtVmDisk *
_hero_virt_vm_disk_from_json (JsonObject *object, GError **error)
{
  JsonNode       *path = json_object_get_member (object, "path");
  JsonNode       *format = json_object_get_member (object, "format");
  JsonNode       *readonly = json_object_get_member (object, "readonly");
  HeroVirtVmDisk *disk;

  if (path == NULL || json_node_get_value_type (path) != G_TYPE_STRING
      || (format != NULL && !JSON_NODE_HOLDS_NULL (format)
          && json_node_get_value_type (format) != G_TYPE_STRING)
      || (readonly != NULL && json_node_get_value_type (readonly) != G_TYPE_BOOLEAN))
    {
      g_set_error (
          error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
          "A VM disk needs a string “path”, an optional string “format” and boolean “readonly”");
      return NULL;
    }
  disk = hero_virt_vm_disk_new (json_node_get_string (path));
  disk->format = g_strdup (format ? json_node_get_string (format) : NULL);
  disk->readonly = readonly ? json_node_get_boolean (readonly) : FALSE;
  return disk;
}
