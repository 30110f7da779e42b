#include "exposition/family_set.h"

#include <charconv>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace coinw::exposition {

void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
  }
}

Labels with(Labels labels, std::string name, std::string_view value) {
  labels.push_back({std::move(name), std::string(value)});
  return labels;
}

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& l : labels) {
    if (out.size() > 1) out += ',';
    out += l.name;
    out += "=\"";
    append_escaped(out, l.value);
    out += '"';
  }
  out += '}';
  return out;
}

Family::Family(std::string name, std::string help, std::string type)
    : name_(std::move(name)), help_(std::move(help)), type_(std::move(type)) {}

void Family::sample_suffixed(std::string_view suffix, std::string_view labels, double value) {
  body_ += name_;
  body_ += suffix;
  body_ += labels;
  body_ += ' ';
  append_value(body_, value);
  body_ += '\n';
}

Family& FamilySet::family(std::string_view name, std::string_view help, std::string_view type) {
  if (auto it = index_.find(name); it != index_.end()) {
    // One name, two types would be invalid exposition: a bug in the caller.
    if (it->second->type_ != type)
      throw std::logic_error("metric family " + std::string(name) + " is a " + it->second->type_ + ", not a " +
                             std::string(type));
    return *it->second;
  }
  families_.push_back(std::unique_ptr<Family>(new Family(std::string(name), std::string(help), std::string(type))));
  if (auto r = reserved_.find(name); r != reserved_.end()) families_.back()->body_.reserve(r->second);
  index_.emplace(std::string(name), families_.back().get());
  return *families_.back();
}

void FamilySet::reserve(std::string_view name, size_t bytes) { reserved_.insert_or_assign(std::string(name), bytes); }

void FamilySet::gauge(std::string_view name, std::string_view help, const Labels& labels, double value) {
  family(name, help, "gauge").sample(render_labels(labels), value);
}

void FamilySet::counter(std::string_view name, std::string_view help, const Labels& labels, double value) {
  family(name, help, "counter").sample(render_labels(labels), value);
}

void FamilySet::histogram(std::string_view name, std::string_view help, const Labels& labels,
                          const prometheus::ClientMetric::Histogram& h) {
  Family& f = family(name, help, "histogram");
  const std::string plain = render_labels(labels);
  Labels with_le = labels;
  with_le.push_back({"le", ""});
  for (const auto& b : h.bucket) {
    with_le.back().value.clear();
    append_value(with_le.back().value, b.upper_bound);
    f.sample_suffixed("_bucket", render_labels(with_le), static_cast<double>(b.cumulative_count));
  }
  f.sample_suffixed("_sum", plain, h.sample_sum);
  f.sample_suffixed("_count", plain, static_cast<double>(h.sample_count));
}

namespace {

void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::string FamilySet::render() const {
  size_t size = 0;
  for (const auto& f : families_) size += f->body_.size() + f->help_.size() + 64;
  std::string out;
  out.reserve(size);
  for (const auto& f : families_) {
    if (f->empty()) continue;
    append_header(out, f->name_, f->help_, f->type_);
    out += f->body_;
  }
  return out;
}

std::vector<RenderedFamily> FamilySet::take() && {
  std::vector<RenderedFamily> out;
  for (auto& f : families_) {
    if (f->empty()) continue;
    RenderedFamily r{f->name_, "", std::move(f->body_)};
    append_header(r.header, f->name_, f->help_, f->type_);
    out.push_back(std::move(r));
  }
  families_.clear();
  index_.clear();
  return out;
}

}  // namespace coinw::exposition
