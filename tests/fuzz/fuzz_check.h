#pragma once
// Names the broken property in the crash report, which otherwise shows only abort().
#include <cstdio>
#include <cstdlib>

namespace coinw::fuzz {

inline void check(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

}  // namespace coinw::fuzz
