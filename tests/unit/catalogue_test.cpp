// The metric catalogue against the README's metrics table, the label helper,
// and the family type check.
#include "exposition/catalogue.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "exposition/last_label.h"

namespace coinw::exposition {
namespace {

// name -> type, from the rows of README.md's "## Metrics" table. A row may name
// several families: "`coinw_invitees_deposits`, `_withdrawals`" shares the
// first name's stem.
std::map<std::string, std::string> readme_metrics() {
  std::ifstream in(std::string(COINW_TEST_DATA) + "/../../README.md");
  std::map<std::string, std::string> out;
  std::string line;
  bool in_section = false;
  const std::regex name_re("`([a-z_]+)`");
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) in_section = line == "## Metrics";
    if (!in_section || !line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(2));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    if (cells.size() < 2) continue;
    std::string type;
    std::stringstream(cells[1]) >> type;  // "gauge (1)" is a gauge
    std::string first;
    for (std::sregex_iterator it(cells[0].begin(), cells[0].end(), name_re), end; it != end; ++it) {
      std::string name = (*it)[1];
      if (name.starts_with('_'))
        name = first.substr(0, first.rfind('_')) + name;
      else
        first = name;
      out[name] = type;
    }
  }
  return out;
}

TEST(Catalogue, MatchesTheReadmeMetricsTable) {
  const auto readme = readme_metrics();
  ASSERT_GT(readme.size(), 20u) << "README.md's metrics table was not found";
  std::map<std::string, std::string> catalogue;
  for (const auto& f : kCatalogue) {
    EXPECT_TRUE(catalogue.emplace(f.name, f.type).second) << "listed twice: " << f.name;
    EXPECT_FALSE(f.help.empty()) << f.name;
  }
  for (const auto& [name, type] : catalogue) {
    auto it = readme.find(name);
    if (it == readme.end())
      ADD_FAILURE() << name << " is exposed but missing from the README";
    else
      EXPECT_EQ(it->second, type) << name;
  }
  for (const auto& [name, type] : readme)
    EXPECT_TRUE(catalogue.count(name)) << name << " is in the README but not in the catalogue";
}

TEST(Catalogue, SamplesTakeTheFamilysType) {
  FamilySet out;
  sample(out, metric::api_requests, {{"account", "a"}}, 2);
  sample(out, metric::sub_accounts, {{"account", "a"}}, 3);
  EXPECT_EQ(out.render(),
            "# HELP coinw_api_requests_total Requests sent to the CoinW API.\n"
            "# TYPE coinw_api_requests_total counter\n"
            "coinw_api_requests_total{account=\"a\"} 2\n"
            "# HELP coinw_sub_accounts Sub-accounts of the master account. Cached between refreshes.\n"
            "# TYPE coinw_sub_accounts gauge\n"
            "coinw_sub_accounts{account=\"a\"} 3\n");
  EXPECT_THROW(sample(out, metric::api_request_duration, {}, 1), std::logic_error);
}

TEST(FamilySet, RefusesOneNameWithTwoTypes) {
  FamilySet out;
  out.gauge("x", "help", {}, 1);
  EXPECT_THROW(out.counter("x", "help", {}, 1), std::logic_error);
  EXPECT_NO_THROW(out.gauge("x", "help", {}, 2));
}

TEST(LastLabel, RendersLikeRenderLabels) {
  const Labels fixed{{"account", "a\"b"}, {"quote", "usdt"}};
  LastLabel l(fixed, "uid");
  for (uint64_t uid : {uint64_t{0}, uint64_t{42}, uint64_t{18446744073709551615ULL}})
    EXPECT_EQ(l.with(uid), render_labels(with(fixed, "uid", std::to_string(uid))));
  EXPECT_EQ(l.with("x\ny\\"), render_labels(with(fixed, "uid", "x\ny\\")));
  LastLabel alone({}, "le");
  EXPECT_EQ(alone.with("0.5"), "{le=\"0.5\"}");
}

}  // namespace
}  // namespace coinw::exposition
