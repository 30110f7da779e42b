// The Markdown subset of docs/runbook.md, rendered for /runbook: structure,
// anchors that alert links point to, and nothing from the text executes.
#include "exporter/html.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "exporter/landing_page.h"
#include "exporter/runbook.h"

namespace coinw::exporter {
namespace {

TEST(Html, EscapesEverythingThatCouldBeMarkup) {
  EXPECT_EQ(html_escape(R"(<a href="x">'&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(Html, HeadingAnchorsAreGitHubs) {
  EXPECT_EQ(heading_anchor("CoinwSubAccountFrozen"), "coinwsubaccountfrozen");
  EXPECT_EQ(heading_anchor("Severity, routing & `info`"), "severity-routing--info");
  EXPECT_EQ(heading_anchor("snake_case-and-dash 2"), "snake_case-and-dash-2");
  EXPECT_EQ(heading_anchor("\xc3\x9c"
                           "ber Blick"),
            "\xc3\x9c"
            "ber-blick")
      << "non-ASCII bytes are kept";
}

TEST(Markdown, HeadingsParagraphsAndRepeatedAnchors) {
  EXPECT_EQ(markdown_to_html("# Title #\n\nOne line\nand the next.\n\n## Part\n## Part\n###No heading"),
            "<h1 id=\"title\">Title</h1>\n"
            "<p>One line\nand the next.</p>\n"
            "<h2 id=\"part\">Part</h2>\n"
            "<h2 id=\"part-1\">Part</h2>\n"
            "<p>###No heading</p>\n");
}

TEST(Markdown, ListsWithContinuationNestingAndParagraphs) {
  EXPECT_EQ(markdown_to_html("- one\n  continued\n- two\n  - inner\n  - inner 2\n- three\n\n  more of three\n\nAfter."),
            "<ul>\n<li>one\ncontinued</li>\n"
            "<li>two<ul>\n<li>inner</li>\n<li>inner 2</li>\n</ul>\n</li>\n"
            "<li>three<p>more of three</p>\n</li>\n</ul>\n"
            "<p>After.</p>\n");
  EXPECT_EQ(markdown_to_html("1. first\n2. second\n- other kind"),
            "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<ul>\n<li>other kind</li>\n</ul>\n");
}

TEST(Markdown, InlineMarkup) {
  EXPECT_EQ(markdown_to_html("**Meaning.** A *frozen* `sub<account>` \\*literal\\*, **`code` in bold**."),
            "<p><strong>Meaning.</strong> A <em>frozen</em> <code>sub&lt;account&gt;</code> *literal*, "
            "<strong><code>code</code> in bold</strong>.</p>\n");
  EXPECT_EQ(markdown_to_html("2 * 3 * 4 and a lone ` and **unclosed"),
            "<p>2 * 3 * 4 and a lone ` and **unclosed</p>\n");
}

TEST(Markdown, LinksOnlyToSafeTargets) {
  EXPECT_EQ(markdown_to_html("[web](https://example.com/a?b=1&c=2) [here](#coinwdatastale) [doc](alerting.md) "
                             "<http://127.0.0.1:9866/metrics>"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\">web</a> <a href=\"#coinwdatastale\">here</a> "
            "<a href=\"alerting.md\">doc</a> "
            "<a href=\"http://127.0.0.1:9866/metrics\">http://127.0.0.1:9866/metrics</a></p>\n");
  for (const char* bad : {"javascript:alert`1`", "JAVASCRIPT:void", "data:text/html,x", "vbscript:x", "https://a b"})
    EXPECT_EQ(markdown_to_html(std::string("[click](") + bad + ")"), "<p>click</p>\n") << bad;
  EXPECT_EQ(markdown_to_html("[x](\"onmouseover=\"y)"), "<p><a href=\"&quot;onmouseover=&quot;y\">x</a></p>\n")
      << "a quote cannot leave the attribute";
}

TEST(Markdown, RawHtmlAndCodeAreShownNotRun) {
  const auto html = markdown_to_html("<script>alert(1)</script>\n\n```\n<b>bold</b> & co\n```\n<img src=x onerror=y>");
  EXPECT_EQ(html,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
            "<pre><code>&lt;b&gt;bold&lt;/b&gt; &amp; co\n</code></pre>\n"
            "<p>&lt;img src=x onerror=y&gt;</p>\n");
  EXPECT_EQ(markdown_to_html("```\nnever closed <x>"), "<pre><code>never closed &lt;x&gt;\n</code></pre>\n");
}

TEST(Runbook, PageHasAnAnchorForEveryAlertSection) {
  const std::string markdown(runbook_markdown());
  const std::string& page = runbook_page();
  std::set<std::string> alerts;
  std::istringstream lines(markdown);
  const std::regex heading(R"(## (Coinw\w+)\s*)");
  std::smatch m;
  for (std::string line; std::getline(lines, line);)
    if (std::regex_match(line, m, heading)) alerts.insert(m[1]);
  EXPECT_GE(alerts.size(), 10u) << "the runbook has a section per alert";
  for (const auto& alert : alerts)
    EXPECT_NE(page.find("<h2 id=\"" + heading_anchor(alert) + "\">" + alert + "</h2>"), std::string::npos) << alert;
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(Runbook, LandingPageLinksToIt) {
  const BuildInfo b{"1.2.3", "0123abcd", "main", "ci@builder", "20261201-02:50:00", "GNU 12.2.0", "Linux/x86_64"};
  EXPECT_NE(render_landing_page(b, "/metrics", {}).find("<a href=\"runbook\">Runbook</a>"), std::string::npos);
}

}  // namespace
}  // namespace coinw::exporter
