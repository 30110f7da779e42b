#include "api/utf8.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace coinw::api {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// The repaired text, or the input when nothing needed repair.
std::string repaired(std::string_view in, size_t* repairs = nullptr) {
  auto r = repair_json_text(in);
  if (repairs) *repairs = r.repairs;
  return r.repairs ? r.text : std::string(in);
}

TEST(RepairJsonText, ValidTextIsLeftAloneWithoutACopy) {
  for (std::string_view s : {"", R"({"a":"b"})", "plain ascii", "caf\xC3\xA9 \xF0\x9F\x9A\x80 \xE2\x82\xAC",
                             R"("\ud83d\ude80 \u00e9 \\ud800 \"x\"")"}) {
    auto r = repair_json_text(s);
    EXPECT_EQ(r.repairs, 0u) << s;
    EXPECT_TRUE(r.text.empty()) << s;
  }
}

TEST(RepairJsonText, InvalidUtf8BecomesReplacementCharacters) {
  size_t n = 0;
  EXPECT_EQ(repaired("a\xFF"
                     "b",
                     &n),
            "a" + kFffd + "b");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired("\xC0\xAF", &n), kFffd + kFffd) << "overlong: C0 is never valid";
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(repaired("\xE0\x80\x80", &n), kFffd + kFffd + kFffd) << "overlong three-byte form";
  EXPECT_EQ(repaired("\xED\xA0\x80", &n), kFffd + kFffd + kFffd) << "a surrogate encoded in UTF-8";
  EXPECT_EQ(repaired("\xF4\x90\x80\x80", &n), kFffd + kFffd + kFffd + kFffd) << "above U+10FFFF";
  // A truncated sequence is one maximal subpart: one replacement.
  EXPECT_EQ(repaired("x\xE2\x82y", &n), "x" + kFffd + "y");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired("\xF0\x9F\x9A", &n), kFffd) << "cut at the end of the body";
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired("\x80\x80", &n), kFffd + kFffd) << "stray continuation bytes";
}

TEST(RepairJsonText, LoneSurrogateEscapesInStrings) {
  size_t n = 0;
  EXPECT_EQ(repaired(R"(["\ud800"])", &n), R"(["\ufffd"])");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired(R"(["\udc00x\uD800"])", &n), R"(["\ufffdx\ufffd"])") << "low alone, upper-case high";
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(repaired(R"(["\ud800\u0041"])", &n), R"(["\ufffd\u0041"])") << "high followed by a non-surrogate";
  EXPECT_EQ(repaired(R"(["\ud800\ud800\udc00"])", &n), R"(["\ufffd\ud800\udc00"])") << "then a valid pair";
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired(R"(["\ud83d\ude80"])", &n), R"(["\ud83d\ude80"])");
  EXPECT_EQ(n, 0u);
}

TEST(RepairJsonText, EscapedBackslashesAndTextOutsideStringsAreNotEscapes) {
  size_t n = 0;
  // "\\ud800" is a backslash followed by the letters "ud800": nothing to repair.
  EXPECT_EQ(repaired(R"(["\\ud800", "\"\\"])", &n), R"(["\\ud800", "\"\\"])");
  EXPECT_EQ(n, 0u);
  // After an escaped quote the string goes on, so the escape is still inside it.
  EXPECT_EQ(repaired(R"(["\"\ud800"])", &n), R"(["\"\ufffd"])");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(repaired(R"(\ud800)", &n), R"(\ud800)") << "outside a string JSON is broken anyway";
  EXPECT_EQ(repaired(R"(["\u12"])", &n), R"(["\u12"])") << "a bad escape is left for the parser";
}

TEST(RepairJsonText, RepairedBodiesParseAndRepairIsIdempotent) {
  const std::string body = "{\"a\":\"\xFF\\ud800 \xE2\x82\",\"b\":[\"\\udfff\"]}";
  ASSERT_TRUE(nlohmann::json::parse(body, nullptr, false).is_discarded()) << "the parser does reject it";
  size_t n = 0;
  const std::string fixed = repaired(body, &n);
  EXPECT_EQ(n, 4u);
  auto j = nlohmann::json::parse(fixed, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << fixed;
  EXPECT_EQ(j["a"], kFffd + kFffd + " " + kFffd);
  EXPECT_EQ(repair_json_text(fixed).repairs, 0u);
}

}  // namespace
}  // namespace coinw::api
