#pragma once
// Metric families rendered straight to Prometheus' text format (0.0.4) on every
// scrape. Samples are appended as text to their family as they are produced, so
// 100,000 invitees cost no per-series objects; families keep the order in which
// they were first named, and accounts merge into one family per name.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/client_metric.h>

namespace coinw::exposition {

struct Label {
  std::string name;
  std::string value;
};
using Labels = std::vector<Label>;

// `labels` plus one more.
Labels with(Labels labels, std::string name, std::string_view value);
// `{a="x",b="y"}` with escaped values; empty for no labels.
std::string render_labels(const Labels& labels);
// Appends a label value escaped for the text format (\\, \", \n).
void append_escaped(std::string& out, std::string_view value);
// Shortest text that reads back as the same double; NaN, +Inf, -Inf.
void append_value(std::string& out, double value);

class Family {
 public:
  // `labels` is already rendered, e.g. by render_labels.
  void sample(std::string_view labels, double value) { sample_suffixed("", labels, value); }
  void sample_suffixed(std::string_view suffix, std::string_view labels, double value);
  bool empty() const { return body_.empty(); }

 private:
  friend class FamilySet;
  Family(std::string name, std::string help, std::string type);
  std::string name_, help_, type_, body_;
};

// One family's text: its HELP and TYPE lines, and its samples.
struct RenderedFamily {
  std::string name;
  std::string header;
  std::string body;
};

class FamilySet {
 public:
  // Stable while the set lives: callers keep it to append many samples.
  // Throws std::logic_error when `name` was first named with another type.
  Family& family(std::string_view name, std::string_view help, std::string_view type);
  void gauge(std::string_view name, std::string_view help, const Labels& labels, double value);
  void counter(std::string_view name, std::string_view help, const Labels& labels, double value);
  void histogram(std::string_view name, std::string_view help, const Labels& labels,
                 const prometheus::ClientMetric::Histogram& h);
  // Families with at least one sample, in order, as exposition text.
  std::string render() const;
  // The same families one by one, moved out without a joined copy.
  std::vector<RenderedFamily> take() &&;
  // Sizes a family's text before it is written (from the last render), so a
  // large body grows once instead of doubling through copies.
  void reserve(std::string_view name, size_t bytes);

 private:
  std::vector<std::unique_ptr<Family>> families_;
  std::map<std::string, Family*, std::less<>> index_;
  std::map<std::string, size_t, std::less<>> reserved_;
};

}  // namespace coinw::exposition
