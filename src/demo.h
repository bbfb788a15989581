/* demo.h — `wksfs --demo`: a generated tenant served by the bundled emulator. */
#pragma once

#include <glib.h>

#define DEMO_AK "EMULATORAK"
#define DEMO_SK "EMULATORSK"
#define DEMO_PROJECT_ID "0123456789abcdef0123456789abcdef"

typedef struct DemoTenant DemoTenant;

/* Starts wks-emulator on a free loopback port and waits until it listens. argv0 helps find
 * the binary next to ours. */
DemoTenant *demo_tenant_start(const char *argv0, GError **error);
const char *demo_tenant_endpoint(DemoTenant *demo);
/* Stops the emulator. */
void demo_tenant_free(DemoTenant *demo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DemoTenant, demo_tenant_free)
