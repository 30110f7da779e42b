#include "exposition/family_set.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace coinw::exposition {
namespace {

TEST(FamilySet, GroupsSamplesByNameInFirstSeenOrder) {
  FamilySet s;
  s.gauge("b_metric", "B.", {{"account", "x"}}, 1);
  s.counter("a_total", "A.", {}, 2);
  s.gauge("b_metric", "B.", {{"account", "y"}}, 3);
  s.family("empty_metric", "Never sampled.", "gauge");
  EXPECT_EQ(s.render(),
            "# HELP b_metric B.\n# TYPE b_metric gauge\n"
            "b_metric{account=\"x\"} 1\nb_metric{account=\"y\"} 3\n"
            "# HELP a_total A.\n# TYPE a_total counter\na_total 2\n");
}

TEST(FamilySet, EscapesLabelValuesAndHelp) {
  FamilySet s;
  s.gauge("m", "line\\one\ntwo", {{"nick_name", "a\"b\\c\nd 🚀 <b>"}}, 1);
  EXPECT_EQ(s.render(),
            "# HELP m line\\\\one\\ntwo\n# TYPE m gauge\n"
            "m{nick_name=\"a\\\"b\\\\c\\nd 🚀 <b>\"} 1\n");
}

TEST(FamilySet, ValuesReadBackExactly) {
  std::string out;
  for (double v : {0.1, 9340.23907194, 1e21, -2.5, 250.0, 1795290501.779367}) {
    out.clear();
    append_value(out, v);
    EXPECT_EQ(std::stod(out), v) << out;
  }
  out.clear();
  append_value(out, 250);
  EXPECT_EQ(out, "250");
  out.clear();
  append_value(out, std::numeric_limits<double>::quiet_NaN());
  append_value(out, std::numeric_limits<double>::infinity());
  append_value(out, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, "NaN+Inf-Inf");
}

TEST(FamilySet, HistogramHasBucketsSumAndCount) {
  prometheus::ClientMetric::Histogram h;
  h.sample_count = 3;
  h.sample_sum = 0.75;
  h.bucket = {{1, 0.1}, {3, 1.0}, {3, std::numeric_limits<double>::infinity()}};
  FamilySet s;
  s.histogram("lat_seconds", "L.", {{"endpoint", "e"}}, h);
  EXPECT_EQ(s.render(),
            "# HELP lat_seconds L.\n# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{endpoint=\"e\",le=\"0.1\"} 1\n"
            "lat_seconds_bucket{endpoint=\"e\",le=\"1\"} 3\n"
            "lat_seconds_bucket{endpoint=\"e\",le=\"+Inf\"} 3\n"
            "lat_seconds_sum{endpoint=\"e\"} 0.75\nlat_seconds_count{endpoint=\"e\"} 3\n");
}

TEST(FamilySet, RenderLabels) {
  EXPECT_EQ(render_labels({}), "");
  EXPECT_EQ(render_labels({{"a", "1"}, {"b", ""}}), "{a=\"1\",b=\"\"}");
}

}  // namespace
}  // namespace coinw::exposition
