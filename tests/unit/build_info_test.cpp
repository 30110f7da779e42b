#include "exporter/build_info.h"

#include <gtest/gtest.h>

namespace coinw::exporter {
namespace {

TEST(BuildInfo, VersionTextAsPrometheusBinariesPrintIt) {
  const BuildInfo b{"1.2.3", "0123abcd", "main", "ci@builder", "20261201-02:50:00", "GNU 12.2.0", "Linux/x86_64"};
  EXPECT_EQ(version_text(b),
            "coinw_exporter, version 1.2.3 (branch: main, revision: 0123abcd)\n"
            "  build user:       ci@builder\n"
            "  build date:       20261201-02:50:00\n"
            "  compiler:         GNU 12.2.0\n"
            "  platform:         Linux/x86_64\n");
}

TEST(BuildInfo, EveryFieldIsFilledInByCMake) {
  const BuildInfo b = build_info();
  for (const auto* field :
       {&b.version, &b.revision, &b.branch, &b.build_user, &b.build_date, &b.compiler, &b.platform}) {
    EXPECT_FALSE(field->empty());
    EXPECT_EQ(field->find("@COINW_"), std::string::npos) << *field;
  }
  EXPECT_EQ(b.build_date.size(), std::string("20261201-02:50:00").size()) << b.build_date;
  EXPECT_NE(b.compiler.find('.'), std::string::npos) << "compiler and version: " << b.compiler;
}

}  // namespace
}  // namespace coinw::exporter
