// Label values from CoinW (nickName, userCode) go through bounding, masking and
// the text format. Whatever the bytes, a label must stay within its byte bound,
// and the rendered sample must be one line that reads back to the same value:
// otherwise a hostile nickname could forge samples or break the scrape.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collect/labels.h"
#include "exposition/family_set.h"

namespace {

using coinw::config::NickNamePolicy;

// Names the broken property in the crash report, which otherwise shows only abort().
void check(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Reads the label pairs of a rendered sample line back, left to right, as a
// scraper would: name="value" with \\, \" and \n escapes, comma-separated.
std::vector<std::pair<std::string, std::string>> read_labels(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = line.find('{');
  check(pos != std::string_view::npos, "the sample has labels");
  ++pos;
  while (pos < line.size() && line[pos] != '}') {
    if (!out.empty()) {
      check(line[pos] == ',', "labels are comma-separated");
      ++pos;
    }
    const size_t eq = line.find("=\"", pos);
    check(eq != std::string_view::npos, "a label is name=\"value\"");
    std::string& value = out.emplace_back(std::string(line.substr(pos, eq - pos)), std::string()).second;
    for (pos = eq + 2;; ++pos) {
      check(pos < line.size(), "label value is terminated");
      char c = line[pos];
      if (c == '"') break;
      if (c == '\\') {
        check(++pos < line.size(), "escape has a character");
        c = line[pos];
        check(c == '\\' || c == '"' || c == 'n', "only \\\\, \\\" and \\n escapes");
        c = c == 'n' ? '\n' : c;
      }
      value += c;
    }
    ++pos;
  }
  check(pos < line.size(), "label set is closed");
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  constexpr NickNamePolicy kPolicies[3] = {NickNamePolicy::masked, NickNamePolicy::full, NickNamePolicy::none};
  const NickNamePolicy policy = kPolicies[data[0] % 3];
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);

  const std::string cut = coinw::collect::bounded(value);
  check(cut.size() <= coinw::collect::kMaxLabelBytes, "bounded() is bounded");
  check(value.substr(0, cut.size()) == cut, "bounded() is a prefix");
  if (!cut.empty() && cut.size() < value.size())
    check(!continuation(value[cut.size()]), "bounded() does not split a UTF-8 sequence");

  const std::string nick = coinw::collect::nick_name_label(value, policy);
  check(nick.size() <= coinw::collect::kMaxLabelBytes, "nickname label is bounded");

  coinw::exposition::FamilySet set;
  set.gauge("coinw_sub_account_info", "identity", {{"user_code", cut}, {"nick_name", nick}}, 1);
  const std::string text = set.render();
  // HELP, TYPE and exactly one sample line.
  std::string_view rest(text);
  std::string_view sample;
  for (int i = 0; i < 3; ++i) {
    auto nl = rest.find('\n');
    check(nl != std::string_view::npos, "HELP, TYPE and sample lines");
    sample = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
  }
  check(rest.empty(), "a single sample line");
  const auto labels = read_labels(sample);
  check(labels.size() == 2 && labels[0].first == "user_code" && labels[1].first == "nick_name",
        "exactly the two labels");
  check(labels[0].second == cut, "user_code reads back");
  check(labels[1].second == nick, "nick_name reads back");

  // Any 8 bytes as a double: the rendered value must read back exactly.
  if (value.size() >= sizeof(double)) {
    double d = 0;
    std::memcpy(&d, value.data(), sizeof d);
    std::string out;
    coinw::exposition::append_value(out, d);
    const double back = out == "+Inf" ? HUGE_VAL : out == "-Inf" ? -HUGE_VAL : std::strtod(out.c_str(), nullptr);
    check(std::isnan(d) ? out == "NaN" : back == d, "value reads back");
  }
  return 0;
}
