/* hero-virt-vm-net.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * HeroVirtVmNet:
 *
 * A network device of a virtual machine: user-mode networking, or a tap
 * interface on the host, with an optional MAC address. A user-mode device
 * may forward host ports into the guest
 * ([method@HeroVirt.VmNet.add_port_forward]).
 *
 * Since: 0.1
 */
struct _HeroVirtVmNet
{
  GObject parent_instance;

  HeroVirtVmNetMode mode;
  char             *tap;
  char             *mac;
  GPtrArray        *forwards;
};

enum
{
  PROP_0,
  PROP_MODE,
  PROP_TAP,
  PROP_MAC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVmNet, hero_virt_vm_net, G_TYPE_OBJECT)

static void
hero_virt_vm_net_finalize (GObject *object)
{
  HeroVirtVmNet *self = HERO_VIRT_VM_NET (object);

  g_free (self->tap);
  g_free (self->mac);
  g_ptr_array_unref (self->forwards);

  G_OBJECT_CLASS (hero_virt_vm_net_parent_class)->finalize (object);
}

static void
hero_virt_vm_net_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtVmNet *self = HERO_VIRT_VM_NET (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_TAP:
      g_value_set_string (value, self->tap);
      break;
    case PROP_MAC:
      g_value_set_string (value, self->mac);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_vm_net_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HeroVirtVmNet *self = HERO_VIRT_VM_NET (object);

  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_TAP:
      g_free (self->tap);
      self->tap = g_value_dup_string (value);
      break;
    case PROP_MAC:
      hero_virt_vm_net_set_mac (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_vm_net_class_init (HeroVirtVmNetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_vm_net_finalize;
  object_class->get_property = hero_virt_vm_net_get_property;
  object_class->set_property = hero_virt_vm_net_set_property;

  /**
   * HeroVirtVmNet:mode:
   *
   * How the device reaches the host.
   *
   * Since: 0.1
   */
  properties[PROP_MODE] = g_param_spec_enum (
      "mode", NULL, NULL, HERO_VIRT_TYPE_VM_NET_MODE, HERO_VIRT_VM_NET_MODE_USER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtVmNet:tap:
   *
   * The host tap interface's name (tap mode), or %NULL to let the backend
   * create one.
   *
   * Since: 0.1
   */
  properties[PROP_TAP] = g_param_spec_string (
      "tap", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtVmNet:mac:
   *
   * The guest's MAC address as `52:54:00:12:34:56`, or %NULL for one the
   * backend picks.
   *
   * Since: 0.1
   */
  properties[PROP_MAC]
      = g_param_spec_string ("mac", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_vm_net_init (HeroVirtVmNet *self)
{
  self->forwards = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * hero_virt_vm_net_new_user:
 *
 * Returns: (transfer full): a new user-mode network device
 *
 * Since: 0.1
 */
HeroVirtVmNet *
hero_virt_vm_net_new_user (void)
{
  return g_object_new (HERO_VIRT_TYPE_VM_NET, "mode", HERO_VIRT_VM_NET_MODE_USER, NULL);
}

/**
 * hero_virt_vm_net_new_for_tap:
 * @tap: (nullable): the host tap interface's name, or %NULL to let the
 *   backend create one
 *
 * Returns: (transfer full): a new tap network device
 *
 * Since: 0.1
 */
HeroVirtVmNet *
hero_virt_vm_net_new_for_tap (const char *tap)
{
  return g_object_new (HERO_VIRT_TYPE_VM_NET, "mode", HERO_VIRT_VM_NET_MODE_TAP, "tap", tap, NULL);
}

/**
 * hero_virt_vm_net_set_mac:
 * @self: a #HeroVirtVmNet
 * @mac: (nullable): the new value
 *
 * Sets [property@HeroVirt.VmNet:mac].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmNet *
hero_virt_vm_net_set_mac (HeroVirtVmNet *self, const char *mac)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), NULL);

  if (g_strcmp0 (self->mac, mac) != 0)
    {
      g_free (self->mac);
      self->mac = g_strdup (mac);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAC]);
    }
  return self;
}

/**
 * hero_virt_vm_net_get_mode:
 * @self: a #HeroVirtVmNet
 *
 * Returns: the value of [property@HeroVirt.VmNet:mode]
 *
 * Since: 0.1
 */
HeroVirtVmNetMode
hero_virt_vm_net_get_mode (HeroVirtVmNet *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), HERO_VIRT_VM_NET_MODE_USER);
  return self->mode;
}

/**
 * hero_virt_vm_net_get_tap:
 * @self: a #HeroVirtVmNet
 *
 * Returns: (nullable): the value of [property@HeroVirt.VmNet:tap]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_net_get_tap (HeroVirtVmNet *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), NULL);
  return self->tap;
}

/**
 * hero_virt_vm_net_get_mac:
 * @self: a #HeroVirtVmNet
 *
 * Returns: (nullable): the value of [property@HeroVirt.VmNet:mac]
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_net_get_mac (HeroVirtVmNet *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), NULL);
  return self->mac;
}

/**
 * hero_virt_vm_net_add_port_forward:
 * @self: a #HeroVirtVmNet
 * @forward: the forward to add; the device keeps a reference
 *
 * Forwards a host port to a port of the guest through this user-mode
 * device (qemu's `hostfwd=`). A tap device, a bad forward or two forwards
 * of the same host address, port and protocol are refused by
 * [method@HeroVirt.VmNet.validate].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmNet *
hero_virt_vm_net_add_port_forward (HeroVirtVmNet *self, HeroVirtVmPortForward *forward)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_VM_PORT_FORWARD (forward), NULL);

  g_ptr_array_add (self->forwards, g_object_ref (forward));
  return self;
}

/**
 * hero_virt_vm_net_get_port_forwards:
 * @self: a #HeroVirtVmNet
 *
 * Returns: (transfer none) (element-type HeroVirt.VmPortForward): the
 *   device's port forwards, in the order they were added
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_vm_net_get_port_forwards (HeroVirtVmNet *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), NULL);
  return self->forwards;
}

/**
 * hero_virt_vm_net_validate:
 * @self: a #HeroVirtVmNet
 * @error: return location for a #GError
 *
 * Checks the device before anything runs: a tap name of at most 15
 * characters from `[A-Za-z0-9_.-]` (the kernel's IFNAMSIZ) and only in
 * tap mode, a MAC address of six hex pairs separated by colons, and port
 * forwards only in user mode, each valid
 * ([method@HeroVirt.VmPortForward.validate]) and no two on the same host
 * protocol, address and port.
 *
 * Returns: %TRUE if the device is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_net_validate (HeroVirtVmNet *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (self), FALSE);

  if (self->tap != NULL && self->mode != HERO_VIRT_VM_NET_MODE_TAP)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Only a tap network device has a tap name");
      return FALSE;
    }
  if ((self->tap != NULL && !_hero_virt_validate_tap_name (self->tap, error))
      || (self->mac != NULL && !_hero_virt_validate_mac_address (self->mac, error)))
    return FALSE;
  if (self->forwards->len > 0 && self->mode != HERO_VIRT_VM_NET_MODE_USER)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "Only a user-mode network device forwards ports");
      return FALSE;
    }
  for (guint i = 0; i < self->forwards->len; i++)
    {
      HeroVirtVmPortForward *a = g_ptr_array_index (self->forwards, i);

      if (!hero_virt_vm_port_forward_validate (a, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (_hero_virt_vm_port_forward_same_host_side (a, g_ptr_array_index (self->forwards, j)))
          {
            g_autofree char *text = hero_virt_vm_port_forward_to_string (a);

            g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                         "Port forward %s: its host port is forwarded twice", text);
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
_hero_virt_vm_port_forward_same_host_side (HeroVirtVmPortForward *a, HeroVirtVmPortForward *b)
{
  return g_strcmp0 (hero_virt_vm_port_forward_get_protocol (a),
                    hero_virt_vm_port_forward_get_protocol (b))
             == 0
         && g_strcmp0 (hero_virt_vm_port_forward_get_host_address (a),
                       hero_virt_vm_port_forward_get_host_address (b))
                == 0
         && hero_virt_vm_port_forward_get_host_port (a)
                == hero_virt_vm_port_forward_get_host_port (b);
}

JsonObject *
_hero_virt_vm_net_to_json (HeroVirtVmNet *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "mode",
                                 self->mode == HERO_VIRT_VM_NET_MODE_TAP ? "tap" : "user");
  if (self->tap != NULL)
    json_object_set_string_member (object, "tap", self->tap);
  if (self->mac != NULL)
    json_object_set_string_member (object, "mac", self->mac);
  if (self->forwards->len > 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < self->forwards->len; i++)
        json_array_add_element (
            array, hero_virt_vm_port_forward_to_json_node (g_ptr_array_index (self->forwards, i)));
      json_object_set_array_member (object, "port_forwards", array);
    }
  return object;
}

HeroVirtVmNet *
_hero_virt_vm_net_from_json (JsonObject *object, GError **error)
{
  const char    *mode = json_object_get_string_member_with_default (object, "mode", "");
  const char    *tap = json_object_get_string_member_with_default (object, "tap", NULL);
  const char    *mac = json_object_get_string_member_with_default (object, "mac", NULL);
  HeroVirtVmNet *net;

  if (strcmp (mode, "tap") == 0)
    net = hero_virt_vm_net_new_for_tap (tap);
  else if (strcmp (mode, "user") == 0)
    net = hero_virt_vm_net_new_user ();
  else
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "Unknown VM network mode “%s” (user or tap)", mode);
      return NULL;
    }
  net->mac = g_strdup (mac);
  if (json_object_has_member (object, "port_forwards"))
    {
      JsonNode  *node = json_object_get_member (object, "port_forwards");
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (array == NULL)
        {
          g_object_unref (net);
          g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                               "A VM network device's port_forwards is not an array");
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          HeroVirtVmPortForward *forward = hero_virt_vm_port_forward_new_from_json_node (
              json_array_get_element (array, i), error);

          if (forward == NULL)
            {
              g_object_unref (net);
              return NULL;
            }
          g_ptr_array_add (net->forwards, forward);
        }
    }
  return net;
}
