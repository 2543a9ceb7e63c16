/* test-not-a-plugin.c: a valid shared object without a plugin descriptor.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gmodule.h>

G_MODULE_EXPORT int test_not_a_plugin_answer (void);

G_MODULE_EXPORT int
test_not_a_plugin_answer (void)
{
  return 42;
}
