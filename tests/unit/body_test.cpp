// Bodies joined from pieces compressed separately: one valid gzip member that
// decodes to the pieces' text, and families grouped across sources.
#include "exposition/body.h"

#include <gtest/gtest.h>

#include <random>

#include "support/gunzip.h"
#include "web/server.h"

namespace coinw::exposition {
namespace {

std::string joined(const BodyParts& parts) {
  std::string out;
  for (const auto& p : parts) out += *p;
  return out;
}

std::string noise(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

TEST(Gzip, PiecesJoinIntoOneMemberThatDecodesToTheirText) {
  const std::vector<std::string> texts = {"# HELP a x\n", "", noise(300000, 1), "a 1\n", noise(70000, 2)};
  GzipJoiner joiner;
  std::string want;
  for (const auto& t : texts) {
    joiner.add(std::make_shared<const DeflatedPiece>(deflate_piece(t)));
    want += t;
  }
  const std::string gz = joined(std::move(joiner).finish());
  // gunzip refuses trailing bytes, so this also says it is a single member.
  EXPECT_EQ(testing::gunzip(gz), want);
}

TEST(Gzip, EmptyBodyIsAValidMember) { EXPECT_EQ(testing::gunzip(joined(GzipJoiner().finish())), ""); }

TEST(Gzip, RepeatedTextCompresses) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "coinw_invitee_total_deposit{account=\"a\",quote=\"usdt\",uid=\"1\"} 5\n";
  EXPECT_LT(deflate_piece(text).data.size(), text.size() / 20);
}

std::vector<FamilyPieces> source(const std::vector<std::pair<std::string, std::string>>& families) {
  FamilySet set;
  for (const auto& [name, sample] : families) set.family(name, "help of " + name, "gauge").sample(sample, 1);
  return make_pieces(std::move(set).take());
}

TEST(BodyBuilder, GroupsFamiliesOfSeveralSourcesUnderOneHeader) {
  const auto a = source({{"x", "{account=\"a\"}"}, {"y", "{account=\"a\"}"}});
  const auto b = source({{"z", "{account=\"b\"}"}, {"x", "{account=\"b\"}"}});
  const std::string want =
      "# HELP x help of x\n# TYPE x gauge\nx{account=\"a\"} 1\nx{account=\"b\"} 1\n"
      "# HELP y help of y\n# TYPE y gauge\ny{account=\"a\"} 1\n"
      "# HELP z help of z\n# TYPE z gauge\nz{account=\"b\"} 1\n";
  for (bool gzip : {false, true}) {
    BodyBuilder body(gzip);
    body.add_grouped({&a, &b});
    const std::string got = joined(std::move(body).finish());
    EXPECT_EQ(gzip ? testing::gunzip(got) : got, want) << "gzip " << gzip;
  }
}

TEST(BodyBuilder, IdentityPartsAreTheCachedTextsThemselves) {
  const auto a = source({{"x", "{}"}});
  BodyBuilder body(false);
  body.add_grouped({&a});
  const BodyParts parts = std::move(body).finish();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].get(), a[0].header.text.get()) << "shared, not copied";
  EXPECT_EQ(parts[1].get(), a[0].body.text.get());
}

TEST(FamilySet, TakeMatchesRender) {
  FamilySet a, b;
  for (FamilySet* s : {&a, &b}) {
    s->family("one", "first\\line\nnext", "counter").sample("{x=\"1\"}", 2);
    s->family("empty", "never sampled", "gauge");
    s->gauge("two", "second", {{"y", "q\"uote"}}, 3.5);
  }
  std::string taken;
  for (const auto& f : std::move(b).take()) taken += f.header + f.body;
  EXPECT_EQ(taken, a.render());
}

TEST(AcceptsGzip, FollowsQualityValues) {
  using web::accepts_gzip;
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipped"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
}

}  // namespace
}  // namespace coinw::exposition
