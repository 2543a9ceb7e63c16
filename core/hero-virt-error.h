/* hero-virt-error.h: the HeroVirt error domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HERO_VIRT_ERROR:
 *
 * The error domain of HeroVirt. Errors in this domain are from the
 * #HeroVirtError enumeration. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED, never in this domain.
 *
 * Since: 0.1
 */
#define HERO_VIRT_ERROR (hero_virt_error_quark ())

/**
 * HeroVirtError:
 * @HERO_VIRT_ERROR_FAILED: a failure not covered by another code
 * @HERO_VIRT_ERROR_INVALID_ARGUMENT: an argument was rejected before
 *   anything ran: a malformed name or reference, a path outside its root,
 *   an operand that looks like a flag, a NUL byte, a bad size
 * @HERO_VIRT_ERROR_NOT_FOUND: the object (file, image, container, VM,
 *   snapshot, provider) does not exist
 * @HERO_VIRT_ERROR_EXISTS: the object already exists
 * @HERO_VIRT_ERROR_NOT_SUPPORTED: the provider does not implement the
 *   operation
 * @HERO_VIRT_ERROR_UNAVAILABLE: the backend (a tool, a daemon, a socket)
 *   is not installed or not reachable
 * @HERO_VIRT_ERROR_COMMAND_FAILED: a backend command exited with a
 *   failure; the message names the tool, its exit status and the tail of
 *   its standard error
 * @HERO_VIRT_ERROR_PARSE: the backend's output could not be understood
 * @HERO_VIRT_ERROR_CORRUPT: a file (a disk image, say) is truncated,
 *   corrupt or hostile
 * @HERO_VIRT_ERROR_CHECKSUM: a download did not match its checksum
 * @HERO_VIRT_ERROR_TIMEOUT: an operation did not finish in time
 * @HERO_VIRT_ERROR_AUTH: authentication was refused
 * @HERO_VIRT_ERROR_HOST_KEY: an SSH host key or TLS certificate could not
 *   be verified
 * @HERO_VIRT_ERROR_PLUGIN: a plugin could not be loaded
 * @HERO_VIRT_ERROR_IO: a local or remote I/O operation failed
 * @HERO_VIRT_ERROR_NETWORK: a network or HTTP request failed
 * @HERO_VIRT_ERROR_CONFLICT: the object changed since it was read (a
 *   stale Kubernetes resourceVersion) or another owner holds the fields
 *   (a server-side apply conflict); read it again and retry
 * @HERO_VIRT_ERROR_TOO_LARGE: an input or a tool's output went past its
 *   size limit (a command's output cap, a file read, JSON too deep or
 *   too big); the message names the limit
 * @HERO_VIRT_ERROR_GONE: what was asked for is no longer there to give: a
 *   Kubernetes resourceVersion or continue token too old for the server
 *   (410 Gone, reason Expired); list again
 * @HERO_VIRT_ERROR_RATE_LIMITED: the server refused the request for now
 *   (429 TooManyRequests) and retries ran out; try again later
 *
 * Error codes in the %HERO_VIRT_ERROR domain. From Python they are
 * `HeroVirt.Error.NOT_FOUND` and so on.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_ERROR_FAILED,
  HERO_VIRT_ERROR_INVALID_ARGUMENT,
  HERO_VIRT_ERROR_NOT_FOUND,
  HERO_VIRT_ERROR_EXISTS,
  HERO_VIRT_ERROR_NOT_SUPPORTED,
  HERO_VIRT_ERROR_UNAVAILABLE,
  HERO_VIRT_ERROR_COMMAND_FAILED,
  HERO_VIRT_ERROR_PARSE,
  HERO_VIRT_ERROR_CORRUPT,
  HERO_VIRT_ERROR_CHECKSUM,
  HERO_VIRT_ERROR_TIMEOUT,
  HERO_VIRT_ERROR_AUTH,
  HERO_VIRT_ERROR_HOST_KEY,
  HERO_VIRT_ERROR_PLUGIN,
  HERO_VIRT_ERROR_IO,
  HERO_VIRT_ERROR_NETWORK,
  HERO_VIRT_ERROR_CONFLICT,
  HERO_VIRT_ERROR_TOO_LARGE,
  HERO_VIRT_ERROR_GONE,
  HERO_VIRT_ERROR_RATE_LIMITED,
} HeroVirtError;

HERO_VIRT_AVAILABLE_IN_ALL
GQuark hero_virt_error_quark (void);

G_END_DECLS
