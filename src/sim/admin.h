#pragma once
// Unsigned JSON control endpoints under /admin/ for tests and the demo.
#include <httplib.h>

namespace coinw::sim {

class Simulator;
void register_admin_routes(httplib::Server& server, Simulator& sim);

}  // namespace coinw::sim
