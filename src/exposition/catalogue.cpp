#include "exposition/catalogue.h"

#include <stdexcept>

namespace coinw::exposition {

void sample(FamilySet& out, const FamilySpec& f, const Labels& labels, double value) {
  if (f.type == "gauge")
    out.gauge(f.name, f.help, labels, value);
  else if (f.type == "counter")
    out.counter(f.name, f.help, labels, value);
  else
    throw std::logic_error(std::string(f.name) + " is a " + std::string(f.type) + ", not a gauge or counter");
}

void histogram(FamilySet& out, const FamilySpec& f, const Labels& labels,
               const prometheus::ClientMetric::Histogram& h) {
  out.histogram(f.name, f.help, labels, h);
}

Family& family(FamilySet& out, const FamilySpec& f) { return out.family(f.name, f.help, f.type); }

}  // namespace coinw::exposition
