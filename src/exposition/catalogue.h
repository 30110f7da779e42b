#pragma once
// Every metric family the exporter exposes, with its type and HELP, in one
// list: the collectors name families only through it, and a test checks the
// README's metrics table against it.
#include <array>
#include <string_view>

#include "exposition/family_set.h"

namespace coinw::exposition {

struct FamilySpec {
  std::string_view name, type, help;
};

// A sample of a gauge or counter family.
void sample(FamilySet& out, const FamilySpec& f, const Labels& labels, double value);
void histogram(FamilySet& out, const FamilySpec& f, const Labels& labels, const prometheus::ClientMetric::Histogram& h);
// For callers that render labels themselves (see LastLabel).
Family& family(FamilySet& out, const FamilySpec& f);

namespace metric {
#define COINW_FAMILY(id, name, type, help) inline constexpr FamilySpec id{name, type, help};
#include "exposition/catalogue.inc"
#undef COINW_FAMILY
}  // namespace metric

inline constexpr std::array kCatalogue{
#define COINW_FAMILY(id, name, type, help) metric::id,
#include "exposition/catalogue.inc"
#undef COINW_FAMILY
};

}  // namespace coinw::exposition
